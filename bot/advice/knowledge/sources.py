"""Every source the advice may cite: name, year, URL (from domain-facts.md)."""

from __future__ import annotations

from bot.advice.models import Source


def _s(id_: str, name: str, year: str, url: str, *, estimate: bool = False) -> Source:
    return Source(id_, name, year, url, estimate)


MEDIASCOPE_AGE_2024 = _s(
    "mediascope_age_2024",
    "Mediascope, daily reach by age (TG, VK, OK, TikTok)",
    "2024",
    "https://www.comnews.ru/content/240644/2025-08-11/2025-w33/1010/rossiyskoe-pokolenie-z-prezhnemu-predpochitaet-smotret-tiktok",
)
MEDIASCOPE_TG_AGE_2024 = _s(
    "mediascope_tg_age_2024",
    "Mediascope, Telegram daily reach by age",
    "Q1 2024",
    "https://dzen.ru/b/ZjkLaLQIlkH8zhMt",
)
MEDIASCOPE_AGE_2023 = _s(
    "mediascope_age_2023",
    "Mediascope, daily reach by age (Telegram, VK, WhatsApp)",
    "Q1 2023",
    "https://adindex.mirtesen.ru/blog/43481959873/-Telegram-vpervyie-okazalsya-samyim-vostrebovannyim-servisom-u-m",
)
MEDIASCOPE_REACH_2025 = _s(
    "mediascope_reach_2025",
    "Mediascope via Group4Media, monthly and daily users",
    "Aug 2025",
    "https://3dnews.ru/1129648/whatsapp-i-telegram-stali-populyarnee-v-rossii-nesmotrya-na-blokirovku-zvonkov",
)
MEDIASCOPE_SILVER_2025 = _s(
    "mediascope_silver_2025",
    "Mediascope at OK's Silver Age forum (audience 55+)",
    "Oct 2025",
    "https://incrussia.ru/news/issledovanie-mediascope-srednij-zhitel-rossii-starshe-70-let-provodit-v-internete-1-5-chasa-v-den/",
)
FOM_2021 = _s(
    "fom_2021", "FOM, social networks by gender", "2021", "https://fom.ru/SMI-iinternet/14555"
)
DZEN_2025 = _s(
    "dzen_2025",
    "Dzen year summary (self-reported)",
    "2025",
    "https://radio1.ru/articles/obschestvo/putin-tramp-ii-i-pitomtsi-v-2025-godu-73-mln-chelovek-chitali-dzen-ezhemesyachno-platforma-podvela-itogi/",
)
VK_VIDEO_2026 = _s(
    "mediascope_video_2026",
    "Mediascope via TASS, video platforms daily users",
    "Jan 2026",
    "https://overclockers.ru/world/show/142311/mediascope-samym-populyarnym-videohostingom-v-rossii-v-yanvare-stal-vk-video",
)
MAX_2025 = _s(
    "max_2025",
    "RIA Novosti: state bodies in Max",
    "2025",
    "https://ria.ru/20251203/max-2059632085.html",
)
BELARUS_2024 = _s(
    "belarus_2024",
    "NAS Belarus Institute of Sociology, n=900",
    "Q1 2024",
    "https://www.bykhov.by/kalejdoskop/252643",
)
KAZAKHSTAN_2024 = _s(
    "kazakhstan_2024",
    "Youth of Kazakhstan report via Energyprom",
    "2024",
    "https://rus.baq.kz/instagram-tiktok-whatsapp-nazvany-top-sotssetey-sredi-kazahstantsev_300024265/",
)
KAZNU_2025 = _s(
    "kaznu_2025",
    "Al-Farabi KazNU study (Kazakhstan, Uzbekistan)",
    "2023–24",
    "https://kz.kursiv.media/en/2025-04-10/engk-yeri-digital-habits-why-kazakhstan-loves-whatsapp-and-uzbekistan-prefers-telegram",
)
CA_BAROMETER_2023 = _s(
    "ca_barometer_2023",
    "Central Asia Barometer, messengers",
    "2023",
    "https://ca-barometer.org/ru/publications/which-messaging-apps-are-popular-in-uzbekistan-kyrgyzstan-and-kazakhstan",
)
KYRGYZSTAN_2018 = _s(
    "kyrgyzstan_2018",
    "Soros Foundation / M-Vector (older data)",
    "2018",
    "http://kabar.kg/eng/news/in-kyrgyzstan-northern-regions-use-internet-more-than-in-southern/",
)
PEW_2025 = _s(
    "pew_2025",
    "Pew Research Center, US adults' social media use",
    "2025",
    "https://tnnews.ai/stories/20251128-efa7d170.html",
)
PEW_2023 = _s(
    "pew_2023",
    "Pew Research Center, US adults by age",
    "2023",
    "https://www.jns.org/pew-facebook-youtube-most-popular-online-platforms-in-america/",
)
PEW_TEENS_2024 = _s(
    "pew_teens_2024",
    "Pew Research Center, US teens 13–17",
    "2024",
    "https://artistsocial.network/what-are-the-social-media-networks-most-accessed-by-u-s-teens",
)
LAW_270FZ = _s(
    "law_270fz",
    "Federal Law No. 270-FZ (official pages)",
    "2022",
    "http://rusrim.blogspot.com/2022/10/blog-post_12.html",
)
ORDER_2523R = _s(
    "order_2523r",
    "Government order No. 2523-r (VK and OK)",
    "2022",
    "http://timmun.ru/content/koptevskij-mezhrajonnyj-prokuror-razyasnyaet-perechen-sotsialnyh-setej-dlya-obyazatelnogo-ve",
)
DIALOG_TG_2024 = _s(
    "dialog_tg_2024",
    "ANO Dialog Regions: official pages on VK, OK and Telegram",
    "2024",
    "https://korolevriamo.ru/news/obschestvo/rossiyanam-rasskazali-kak-dolzhny-rabotat-gospabliki",
)
LAW_72FZ = _s(
    "law_72fz",
    "Federal Law No. 72-FZ (advertising ban on blocked platforms)",
    "2025",
    "https://tass.ru/obschestvo/24918975",
)
RKN_10K_2024 = _s(
    "rkn_10k_2024",
    "Registration of pages over 10,000 subscribers",
    "2024",
    "https://korvesti.ru/novosti/obshchestvo/19633-v-rossii-nachalas-registratsiya-kanalov-i-blogerov-s-auditoriej-bolee-10-tysyach-podpischikov",
)
GOSPABLIC_RULES = _s(
    "gospablic_rules",
    "Regional rules for official pages: ≥3 posts a week (Bashkiria, St Petersburg)",
    "2024–25",
    "https://news.mail.ru/society/68998010/",
)
BASHKORTOSTAN_RULES_2025 = _s(
    "bashkortostan_rules_2025",
    "Bashkortostan: rules for official pages of state and municipal bodies",
    "Dec 2025",
    "https://news.mail.ru/society/68998010/",
)
SPB_RULES_2024 = _s(
    "spb_rules_2024",
    "St Petersburg: standard for official pages (Fontanka)",
    "2024",
    "https://fontanka.ru/2024/05/29/73639028",
)
SPB_VK_2024 = _s(
    "spb_vk_2024",
    "St Petersburg: Smolny reviews subordinate institutions' VK pages (Moika78)",
    "2024",
    "https://moika78.ru/news/2024-04-18/978850-smolnyj-reshil-zaglyanut-v-vk-pabliki-podchinennyh",
)
GOSPABLIC_MARK = _s(
    "gospablic_mark",
    "«Госорганизация» mark via Gosuslugi",
    "2022",
    "http://radm.gtn.ru/events/news/?id=12784",
)
VK_PAGE_VS_GROUP = _s(
    "vk_page_vs_group",
    "VK public page vs group",
    "n/a",
    "https://abc-pr.eu/en/the-group-and-the-public-page",
)
FB_PROFILE_RULE = _s(
    "fb_profile_rule",
    "Facebook: profiles are for real people, organisations use Pages",
    "n/a",
    "http://www.thesocialanimal.com/social-media/difference-facebook-pages-profiles-groups-community-pages-2",
)
TG_CHANNELS = _s(
    "tg_channels",
    "Telegram API: channels and supergroups",
    "n/a",
    "https://core.telegram.org/api/channel",
)
RULE_OF_THIRDS = _s(
    "rule_of_thirds",
    "Hootsuite: social media rule of thirds",
    "n/a",
    "http://blog.hootsuite.com/social-media-rule-of-thirds/",
    estimate=True,
)
RUBRICS_LIBRARIES = _s(
    "rubrics_libraries",
    "WebJunction: The Social Library (library rubrics)",
    "n/a",
    "https://www.webjunction.org/news/webjunction/the-social-library-volume-twentyseven.html",
)
SHISHKOVKA = _s(
    "shishkovka",
    "Altai Krai library: up to 47% of visitors come via social networks",
    "n/a",
    "https://sdelano.media/shishkovka/",
)
BOOK_SECTOR_SURVEY = _s(
    "book_sector_survey",
    "Survey of Russian publishers and librarians on social media",
    "n/a",
    "http://unkniga.ru/biblioteki/bibdelo/1510-soc-media-vs-chitalniy-zal.html",
)
FREQ_SUMMARY = _s(
    "freq_summary",
    "Posting frequency synthesis (Sprout, HubSpot, Buffer, Later, Hootsuite)",
    "2025–26",
    "https://www.fb0t.com/securebot/blog/guides/how-often-to-post-social-media",
    estimate=True,
)
TG_FREQ = _s(
    "tg_freq",
    "Telegram channel posting: 4–7 a week; 10–12 and 17–21",
    "2025",
    "https://teletype.in/@awetyaan/UzqKJCh_n7E",
    estimate=True,
)
RU_TIMES = _s(
    "ru_times",
    "Posting times in Russian networks: commute, lunch, after 21:00",
    "n/a",
    "https://russia-dropshipping.ru/raznoe/luchshee-vremya-dlya-postov-v-kontakte-v-kakoe-vremya-stoit-postit-zapisi-v-soczialnye-seti.html",
    estimate=True,
)
POPSTERS_2020 = _s(
    "popsters_2020",
    "Popsters: weekdays beat weekends, 160–1,000 characters work best",
    "2020",
    "https://mastera.academy/social-media-in-2020",
)
VK_PRIME_TIME = _s(
    "vk_prime_time",
    "VK peak activity 13:00–23:00",
    "older",
    "https://socialshow.ru/v-kakoe-vremya-naibolshaya-aktivnost-vkontakte",
    estimate=True,
)
SPROUT_FB_2025 = _s(
    "sprout_fb_2025",
    "Sprout Social: best times to post on Facebook",
    "2025",
    "https://sproutsocial.com/insights/?p=159401",
)
SPROUT_TIKTOK_2025 = _s(
    "sprout_tiktok_2025",
    "Sprout Social: best times to post on TikTok",
    "2025",
    "https://sproutsocial.com/insights/?p=172822",
)
SPROUT_2023 = _s(
    "sprout_2023",
    "Sprout Social: best times to post (Instagram, LinkedIn, X)",
    "2023",
    "https://www.socialmediatoday.com/news/report-best-times-to-post-social-platforms-twitter-instagram-tiktok-facebook-pintrist-linkedin/650006/",
)
ER_FORMULA = _s(
    "er_formula",
    "Engagement rate by subscribers: formula",
    "n/a",
    "https://kurshub.ru/journal/blog/chto-takoe-er",
)
TG_ER_NORM = _s(
    "tg_er_norm",
    "Telegram ER norm: 1–3% of subscribers",
    "2025",
    "https://tg-telegram.blog/castota-publikacij-i-vovlecennost-v-telegram-kak-najti-zolotuu-seredinu",
    estimate=True,
)
RIVAL_IQ_2024 = _s(
    "rival_iq_2024",
    "Rival IQ benchmark: median engagement per post",
    "2024",
    "https://smk.co/?p=31338",
)
LIBRARY_KPIS = _s(
    "library_kpis",
    "Library KPI families: activity, audience, engagement, referral",
    "2013–15",
    "http://www.davidleeking.com/category/social-media/page/4/",
)
NJ_KPIS = _s(
    "nj_kpis",
    "New Jersey State Library: measuring library social media",
    "n/a",
    "https://www.njstatelib.org/how-to-quantify-your-librarys-social-media-efforts/",
)
HOURS_FORMULA = _s(
    "hours_formula",
    "Weekly hours formula (our estimate from social professionals' time surveys)",
    "n/a",
    "https://www.wildcreative.agency/publications/social-media-under-the-microscope%3A-how-marketing-managers-manage-their-time",
    estimate=True,
)
ROLES = _s(
    "roles",
    "Roles of an SMM team",
    "n/a",
    "https://tenchat.ru/media/3033988-idealniy-smmotdel",
)
COMMUNITY_MANAGER = _s(
    "community_manager",
    "Community manager tasks: answers, negativity, UGC",
    "n/a",
    "https://bookz.ru/authors/konstantin-rudov/book-smm-handbook-2683461-1215285/read/page=3",
)
TOOLS_RU = _s(
    "tools_ru", "Popsters: analytics for VK, OK, Telegram", "n/a", "https://popsters.ru/app/faq"
)
TOOLS_TG = _s(
    "tools_tg",
    "Telegram analytics tools: TGStat, Telemetr",
    "n/a",
    "https://www.unisender.com/ru/blog/analitika-telegram-pokazateli-instrumenty",
)
SCHEDULERS = _s(
    "schedulers",
    "SMMplanner: when and how often to publish",
    "n/a",
    "https://smmplanner.com/blog/pravila-publikacii-kontenta-kogda-i-skolko/amp",
)
ADS_RU = _s(
    "ads_ru",
    "VK Ads: engagement rate and promotion",
    "n/a",
    "https://ads.vk.ru/ru/insights/chto-takoe-engagement-rate",
)
STAFFING_CASE = _s(
    "staffing_case",
    "Moscow libraries: one employee per network, 2–3 posts per event",
    "~2019",
    "https://rulit.me/books/502531-read-502531-12.html",
)
VK_REACH_SIGN = _s(
    "vk_reach_sign",
    "VK warning sign: average reach 5× below subscribers (Senatorov, via a library blogger)",
    "2015/2021",
    "https://library-bat.ru/2021/05/03/%d0%bd%d0%b5%d0%ba%d0%be%d1%82%d0%be%d1%80%d1%8b%d0%b5-%d1%80%d0%b0%d0%b7%d0%bc%d1%8b%d1%88%d0%bb%d0%b5%d0%bd%d0%b8%d1%8f-%d0%be-%d1%81%d1%82%d0%b0%d1%82%d0%b8%d1%81%d1%82%d0%b8%d0%ba%d0%b5-%d0%b3/",
    estimate=True,
)
GROWTH_ESTIMATE = _s(
    "growth_estimate",
    "Subscriber growth targets: our estimate (no library benchmark exists)",
    "n/a",
    "https://podpiska.rcsi.science/storage/materials/articles_297.html",
    estimate=True,
)
