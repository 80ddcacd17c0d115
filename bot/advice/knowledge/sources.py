"""Every source the advice may cite (from domain-facts.md), as a library can cite it.

Laws and government orders point at their official publication (pravo.gov.ru,
publication.pravo.gov.ru, government.ru and the countries' own legal portals); figures at
the research body's own page, or, where that page is not public, at the press report of
the study; platform rules at the platform's own help. Each has a year and a title in
Russian and English. What no citable work backs is our estimate and says so
(``estimate=True``); it may have no address at all.
"""

from __future__ import annotations

from bot.advice.models import Source

PRAVO = "http://publication.pravo.gov.ru/"
"""Официальный интернет-портал правовой информации: the acts are found there by number."""


def _s(
    id_: str, name: str, name_ru: str, year: str, url: str, *, estimate: bool = False
) -> Source:
    return Source(id_, name, year, url, estimate, name_ru)


# Audience figures (domain-facts §1).
MEDIASCOPE_AGE_2024 = _s(
    "mediascope_age_2024",
    "Mediascope, daily reach of social networks by age (Telegram, VK, OK, TikTok)",
    "Mediascope, ежедневный охват соцсетей по возрастам (Telegram, ВКонтакте, ОК, TikTok)",
    "2024",
    "https://mediascope.net/news/",
)
MEDIASCOPE_TG_AGE_2024 = _s(
    "mediascope_tg_age_2024",
    "Mediascope, Telegram daily reach by age",
    "Mediascope, ежедневный охват Telegram по возрастам",
    "2024",
    "https://mediascope.net/news/",
)
MEDIASCOPE_AGE_2023 = _s(
    "mediascope_age_2023",
    "Mediascope, daily reach by age (Telegram, VK, WhatsApp)",
    "Mediascope, ежедневный охват по возрастам (Telegram, ВКонтакте, WhatsApp)",
    "2023",
    "https://mediascope.net/news/",
)
MEDIASCOPE_REACH_2025 = _s(
    "mediascope_reach_2025",
    "Mediascope, monthly and daily users of social networks and messengers",
    "Mediascope, месячная и суточная аудитория соцсетей и мессенджеров",
    "2025",
    "https://www.kommersant.ru/doc/8058240",
)
MEDIASCOPE_SILVER_2025 = _s(
    "mediascope_silver_2025",
    "Mediascope, the internet audience aged 55+ (Silver Age forum)",
    "Mediascope, интернет-аудитория 55+ (форум «Серебряный возраст»)",
    "2025",
    "https://mediascope.net/news/",
)
FOM_2021 = _s(
    "fom_2021",
    "FOM, social networks and messengers: who uses them",
    "ФОМ, соцсети и мессенджеры: кто ими пользуется",
    "2021",
    "https://fom.ru/SMI-iinternet/14555",
)
DZEN_2025 = _s(
    "dzen_2025",
    "Dzen's own audience figures (self-reported), as reported by Kommersant",
    "Данные самого Дзена о его аудитории (по сообщению «Коммерсанта»)",
    "2023",
    "https://www.kommersant.ru/doc/6414061",
)
VK_VIDEO_2026 = _s(
    "mediascope_video_2026",
    "Mediascope, daily users of video platforms",
    "Mediascope, суточная аудитория видеоплатформ",
    "2026",
    "https://mediascope.net/news/",
)
MAX_2025 = _s(
    "max_2025",
    "RIA Novosti: state bodies open channels in Max",
    "РИА Новости: госорганы открывают каналы в Max",
    "2025",
    "https://ria.ru/20251203/max-2059632085.html",
)
BELARUS_2024 = _s(
    "belarus_2024",
    "Institute of Sociology of the National Academy of Sciences of Belarus, phone survey, n=900",
    "Институт социологии НАН Беларуси, телефонный опрос, n=900",
    "2024",
    "https://socio.bas-net.by/",
)
KAZAKHSTAN_2024 = _s(
    "kazakhstan_2024",
    "National report «Youth of Kazakhstan» (Energyprom summary)",
    "Национальный доклад «Молодёжь Казахстана» (обзор Energyprom)",
    "2024",
    "https://rus.baq.kz/instagram-tiktok-whatsapp-nazvany-top-sotssetey-sredi-kazahstantsev_300024265/",
)
KAZNU_2025 = _s(
    "kaznu_2025",
    "Al-Farabi Kazakh National University: digital habits in Kazakhstan and Uzbekistan",
    "КазНУ им. аль-Фараби: цифровые привычки Казахстана и Узбекистана",
    "2024",
    "https://kz.kursiv.media/en/2025-04-10/engk-yeri-digital-habits-why-kazakhstan-loves-whatsapp-and-uzbekistan-prefers-telegram",
)
CA_BAROMETER_2023 = _s(
    "ca_barometer_2023",
    "Central Asia Barometer: messengers in Uzbekistan, Kyrgyzstan and Kazakhstan",
    "Central Asia Barometer: мессенджеры в Узбекистане, Кыргызстане и Казахстане",
    "2023",
    "https://ca-barometer.org/ru/publications/which-messaging-apps-are-popular-in-uzbekistan-kyrgyzstan-and-kazakhstan",
)
KYRGYZSTAN_2018 = _s(
    "kyrgyzstan_2018",
    "Soros Foundation Kyrgyzstan / M-Vector: internet use (older data)",
    "Фонд «Сорос-Кыргызстан» / M-Vector: пользование интернетом (старые данные)",
    "2018",
    "http://kabar.kg/eng/news/in-kyrgyzstan-northern-regions-use-internet-more-than-in-southern/",
)
PEW_2025 = _s(
    "pew_2025",
    "Pew Research Center, Social Media Fact Sheet (US adults)",
    "Pew Research Center, использование соцсетей взрослыми в США",
    "2025",
    "https://www.pewresearch.org/internet/fact-sheet/social-media/",
)
PEW_2023 = _s(
    "pew_2023",
    "Pew Research Center, Americans' Social Media Use (by age)",
    "Pew Research Center, соцсети американцев по возрастам",
    "2024",
    "https://www.pewresearch.org/internet/2024/01/31/americans-social-media-use/",
)
PEW_TEENS_2024 = _s(
    "pew_teens_2024",
    "Pew Research Center, Teens, Social Media and Technology",
    "Pew Research Center, подростки 13–17 лет и соцсети (США)",
    "2024",
    "https://www.pewresearch.org/internet/2024/12/12/teens-social-media-and-technology-2024/",
)

# Russian law (domain-facts §4.3): the acts themselves, on the official portal.
LAW_270FZ = _s(
    "law_270fz",
    "Federal Law of 14.07.2022 No. 270-FZ amending the Law on access to information about "
    "the activities of state bodies and local government (official pages)",
    "Федеральный закон от 14.07.2022 № 270-ФЗ «О внесении изменений в Федеральный закон "
    "«Об обеспечении доступа к информации о деятельности государственных органов и органов "
    "местного самоуправления»…» (официальные страницы)",
    "2022",
    PRAVO,
)
ORDER_2523R = _s(
    "order_2523r",
    "Order of the Government of the Russian Federation of 02.09.2022 No. 2523-r "
    "(VK and Odnoklassniki for official pages)",
    "Распоряжение Правительства РФ от 02.09.2022 № 2523-р "
    "(ВКонтакте и Одноклассники для официальных страниц)",
    "2022",
    PRAVO,
)
LAW_72FZ = _s(
    "law_72fz",
    "Federal Law of 07.04.2025 No. 72-FZ amending the Law on advertising "
    "(no advertising on blocked platforms)",
    "Федеральный закон от 07.04.2025 № 72-ФЗ о внесении изменений в Федеральный закон "
    "«О рекламе» (запрет рекламы на заблокированных площадках)",
    "2025",
    PRAVO,
)
RKN_10K_2024 = _s(
    "rkn_10k_2024",
    "Federal Law of 08.08.2024 No. 303-FZ amending the Law on information "
    "(registration of pages with more than 10,000 subscribers)",
    "Федеральный закон от 08.08.2024 № 303-ФЗ о внесении изменений в Федеральный закон "
    "«Об информации…» (регистрация страниц с аудиторией больше 10 000)",
    "2024",
    PRAVO,
)
DIALOG_TG_2024 = _s(
    "dialog_tg_2024",
    "ANO «Dialog Regions» (the official pages coordinator): VK, OK and Telegram, "
    "as reported by RIAMO",
    "АНО «Диалог Регионы» (координатор госпабликов): ВКонтакте, ОК и Telegram, по сообщению РИАМО",
    "2024",
    "https://korolevriamo.ru/news/obschestvo/rossiyanam-rasskazali-kak-dolzhny-rabotat-gospabliki",
)
BASHKORTOSTAN_RULES_2025 = _s(
    "bashkortostan_rules_2025",
    "Order of the Head of the Republic of Bashkortostan on official pages of state bodies "
    "and their institutions (as reported by News-Bash)",
    "Распоряжение Главы Республики Башкортостан о порядке ведения официальных страниц "
    "госорганов и подведомственных учреждений (по сообщению «Ньюс-Баш»)",
    "2025",
    "https://news-bash.ru/politika/habirov-utverdil-novye-pravila-vedeniya-sotssetey-gosorganami-bashkortostana/",
)
SPB_RULES_2024 = _s(
    "spb_rules_2024",
    "St Petersburg: the city's standard for official pages (Fontanka)",
    "Санкт-Петербург: городской стандарт официальных страниц («Фонтанка»)",
    "2024",
    "https://fontanka.ru/2024/05/29/73639028",
)
SPB_VK_2024 = _s(
    "spb_vk_2024",
    "St Petersburg: Smolny reviews the VK pages of subordinate institutions (Moika78)",
    "Санкт-Петербург: Смольный проверяет страницы подведомственных учреждений во ВКонтакте "
    "(«Мойка78»)",
    "2024",
    "https://moika78.ru/news/2024-04-18/978850-smolnyj-reshil-zaglyanut-v-vk-pabliki-podchinennyh",
)
GOSPABLIC_MARK = _s(
    "gospablic_mark",
    "The «State organisation» mark for official pages, verified via Gosuslugi "
    "(municipal administration notice)",
    "Отметка «Госорганизация» для официальных страниц через Госуслуги "
    "(разъяснение администрации муниципалитета)",
    "2022",
    "http://radm.gtn.ru/events/news/?id=12784",
)

# Languages of posts: constitutions and language laws of the bilingual countries.
KZ_CONSTITUTION = _s(
    "kz_constitution",
    "Constitution of the Republic of Kazakhstan, Article 7 (Kazakh the state language; "
    "Russian used officially on a par with it)",
    "Конституция Республики Казахстан, статья 7 (казахский — государственный язык, "
    "русский официально употребляется наравне с ним)",
    "1995",
    "https://adilet.zan.kz/rus/docs/K950001000_",
)
BY_CONSTITUTION = _s(
    "by_constitution",
    "Constitution of the Republic of Belarus, Article 17 (Belarusian and Russian are the "
    "state languages)",
    "Конституция Республики Беларусь, статья 17 (государственные языки — белорусский и русский)",
    "1994",
    "https://pravo.by/pravovaya-informatsiya/normativnye-dokumenty/konstitutsiya-respubliki-belarus/",
)
KG_CONSTITUTION = _s(
    "kg_constitution",
    "Constitution of the Kyrgyz Republic, Article 13 (Kyrgyz the state language, Russian an "
    "official language)",
    "Конституция Кыргызской Республики, статья 13 (кыргызский — государственный язык, "
    "русский — официальный)",
    "2021",
    "http://cbd.minjust.gov.kg/act/view/ru-ru/112213",
)
UZ_CONSTITUTION = _s(
    "uz_constitution",
    "Constitution of the Republic of Uzbekistan, Article 4 (Uzbek the state language)",
    "Конституция Республики Узбекистан, статья 4 (узбекский — государственный язык)",
    "2023",
    "https://lex.uz/docs/6445145",
)

# Platforms' own pages (domain-facts §4).
VK_PAGE_VS_GROUP = _s(
    "vk_page_vs_group",
    "VK for developers: community types (group, public page, event)",
    "ВКонтакте для разработчиков: типы сообществ (группа, публичная страница, мероприятие)",
    "2025",
    "https://dev.vk.com/ru/reference/objects/group",
)
FB_PROFILE_RULE = _s(
    "fb_profile_rule",
    "Meta Community Standards: authentic identity (profiles are for people, "
    "organisations use Pages)",
    "Правила сообщества Meta: подлинность аккаунтов (профиль — для человека, "
    "организации — Страница)",
    "2025",
    "https://transparency.meta.com/policies/community-standards/account-integrity-and-authentic-identity/",
)
TG_CHANNELS = _s(
    "tg_channels",
    "Telegram API documentation: channels, supergroups and gigagroups",
    "Документация Telegram API: каналы, супергруппы и гигагруппы",
    "2025",
    "https://core.telegram.org/api/channel",
)

# Library practice and content (domain-facts §3).
RULE_OF_THIRDS = _s(
    "rule_of_thirds",
    "Hootsuite: the social media rule of thirds (a rule of thumb)",
    "Hootsuite: «правило третей» для соцсетей (практическое правило)",
    "2016",
    "http://blog.hootsuite.com/social-media-rule-of-thirds/",
    estimate=True,
)
RUBRICS_LIBRARIES = _s(
    "rubrics_libraries",
    "WebJunction (OCLC): The Social Library, library rubrics that work",
    "WebJunction (OCLC): «Социальная библиотека» — рубрики библиотек, которые работают",
    "2019",
    "https://www.webjunction.org/news/webjunction/the-social-library-volume-twentyseven.html",
)
SHISHKOVKA = _s(
    "shishkovka",
    "Altai Krai Shishkov Library: up to 47% of visitors come via social networks",
    "Алтайская краевая библиотека им. Шишкова: до 47% посетителей приходят из соцсетей",
    "2021",
    "https://sdelano.media/shishkovka/",
)
BOOK_SECTOR_SURVEY = _s(
    "book_sector_survey",
    "«Universitetskaya kniga»: survey of publishers and librarians on social media "
    "(83% have no promotion budget)",
    "«Университетская книга»: опрос издателей и библиотекарей о соцсетях "
    "(у 83% нет бюджета на продвижение)",
    "2019",
    "http://unkniga.ru/biblioteki/bibdelo/1510-soc-media-vs-chitalniy-zal.html",
)
FREQ_SUMMARY = _s(
    "freq_summary",
    "Posting frequency: our summary of Sprout Social, HubSpot, Buffer, Later and Hootsuite "
    "guidance",
    "Частота публикаций: наше обобщение рекомендаций Sprout Social, HubSpot, Buffer, Later и "
    "Hootsuite",
    "2025",
    "",
    estimate=True,
)
TG_FREQ = _s(
    "tg_freq",
    "Telegram channels: 4–7 posts a week, 10–12 and 17–21 (practitioners' rule of thumb)",
    "Telegram-каналы: 4–7 постов в неделю, 10–12 и 17–21 (практика авторов каналов)",
    "2025",
    "",
    estimate=True,
)
RU_TIMES = _s(
    "ru_times",
    "Posting times in Russian networks: commute, lunch, evening (practitioners' rule of thumb)",
    "Время публикаций в российских соцсетях: дорога на работу, обед, вечер (практика SMM)",
    "2024",
    "",
    estimate=True,
)
POPSTERS_2020 = _s(
    "popsters_2020",
    "Popsters: social media activity research (weekdays beat weekends; 160–1,000 characters)",
    "Popsters: исследование активности в соцсетях (будни лучше выходных; 160–1000 знаков)",
    "2020",
    "https://realweb.lv/en/social-media-users-activity-global-research-2020/",
)
VK_PRIME_TIME = _s(
    "vk_prime_time",
    "VK peak activity 13:00–23:00 (practitioners' measurement)",
    "Пик активности ВКонтакте 13:00–23:00 (замеры практиков)",
    "2019",
    "",
    estimate=True,
)
SPROUT_FB_2025 = _s(
    "sprout_fb_2025",
    "Sprout Social: best times to post on Facebook",
    "Sprout Social: лучшее время для публикаций в Facebook",
    "2025",
    "https://sproutsocial.com/insights/?p=159401",
)
SPROUT_TIKTOK_2025 = _s(
    "sprout_tiktok_2025",
    "Sprout Social: best times to post on TikTok",
    "Sprout Social: лучшее время для публикаций в TikTok",
    "2025",
    "https://sproutsocial.com/insights/?p=172822",
)
SPROUT_2023 = _s(
    "sprout_2023",
    "Sprout Social: best times to post (Instagram, YouTube, X), via Social Media Today",
    "Sprout Social: лучшее время для публикаций (Instagram, YouTube, X), по Social Media Today",
    "2023",
    "https://www.socialmediatoday.com/news/report-best-times-to-post-social-platforms-twitter-instagram-tiktok-facebook-pintrist-linkedin/650006/",
)

# Measuring (domain-facts §3.4).
ER_FORMULA = _s(
    "er_formula",
    "Engagement rate by subscribers: (likes + comments + reposts) / subscribers × 100 "
    "(the common definition)",
    "Вовлечённость по подписчикам: (лайки + комментарии + репосты) / подписчики × 100 "
    "(общепринятая формула)",
    "2025",
    "",
    estimate=True,
)
TG_ER_NORM = _s(
    "tg_er_norm",
    "Telegram engagement norm: 1–3% of subscribers (practitioners' rule of thumb)",
    "Норма вовлечённости в Telegram: 1–3% подписчиков (практика авторов каналов)",
    "2025",
    "",
    estimate=True,
)
RIVAL_IQ_2024 = _s(
    "rival_iq_2024",
    "Rival IQ, Social Media Industry Benchmark Report: median engagement per post",
    "Rival IQ, отраслевой отчёт по соцсетям: медианная вовлечённость поста",
    "2024",
    "https://www.rivaliq.com/blog/social-media-industry-benchmark-report/",
)
NJ_KPIS = _s(
    "nj_kpis",
    "New Jersey State Library: how to quantify your library's social media efforts",
    "Библиотека штата Нью-Джерси: как измерять работу библиотеки в соцсетях",
    "2016",
    "https://www.njstatelib.org/how-to-quantify-your-librarys-social-media-efforts/",
)
LIBRARY_KPIS = NJ_KPIS
VK_REACH_SIGN = _s(
    "vk_reach_sign",
    "VK warning sign: average reach five times below the subscribers "
    "(D. Senatorov's rule of thumb)",
    "Тревожный признак во ВКонтакте: средний охват в 5 раз меньше числа подписчиков "
    "(практическое правило Д. Сенаторова)",
    "2015",
    "",
    estimate=True,
)
GROWTH_ESTIMATE = _s(
    "growth_estimate",
    "Subscriber growth and click targets: our estimate (no library benchmark exists)",
    "Цели по подписчикам и переходам: наша оценка (библиотечных ориентиров нет)",
    "2025",
    "",
    estimate=True,
)
LIBRARY_VK_STUDY = _s(
    "library_vk_study",
    "RCSI «National subscription»: a study of 367 library communities on VK",
    "РЦНИ «Национальная подписка»: исследование 367 библиотечных сообществ ВКонтакте",
    "2022",
    "https://podpiska.rcsi.science/storage/materials/articles_297.html",
)

# Resources (domain-facts §5).
HOURS_FORMULA = _s(
    "hours_formula",
    "Weekly hours: our estimate from social media professionals' time surveys",
    "Часы в неделю: наша оценка по опросам SMM-специалистов о затратах времени",
    "2025",
    "",
    estimate=True,
)
ROLES = _s(
    "roles",
    "Roles of a social media team: author, designer, moderator, analyst (common practice)",
    "Роли SMM-команды: автор, дизайнер, модератор, аналитик (общая практика)",
    "2025",
    "",
    estimate=True,
)
COMMUNITY_MANAGER = _s(
    "community_manager",
    "Community manager's work: answers, negativity, readers' own content (common practice)",
    "Работа комьюнити-менеджера: ответы, негатив, контент читателей (общая практика)",
    "2025",
    "",
    estimate=True,
)
STAFFING_CASE = _s(
    "staffing_case",
    "One person per network so the feeds do not repeat each other (our estimate)",
    "Один ответственный на площадку, чтобы ленты не повторяли друг друга (наша оценка)",
    "2025",
    "",
    estimate=True,
)

# Tools: each tool's own page.
TOOLS_RU = _s(
    "tools_ru",
    "Popsters: analytics for VK, OK and Telegram (the tool's help)",
    "Popsters: аналитика ВКонтакте, ОК и Telegram (справка сервиса)",
    "2025",
    "https://popsters.ru/app/faq",
)
TOOLS_TG = _s(
    "tools_tg",
    "TGStat: Telegram channel statistics (the service's own site)",
    "TGStat: статистика Telegram-каналов (сайт сервиса)",
    "2025",
    "https://tgstat.ru/",
)
TOOLS_META = _s(
    "tools_meta",
    "Meta Business Suite: insights for Facebook and Instagram (Meta's help)",
    "Meta Business Suite: статистика Facebook и Instagram (справка Meta)",
    "2025",
    "https://www.facebook.com/business/tools/meta-business-suite",
)
TOOLS_YOUTUBE = _s(
    "tools_youtube",
    "YouTube Studio analytics (YouTube Help)",
    "Аналитика YouTube Studio (справка YouTube)",
    "2025",
    "https://support.google.com/youtube/answer/9002587",
)
SCHEDULERS = _s(
    "schedulers",
    "SMMplanner: scheduling posts for VK, OK, Telegram and other networks (the service's guide)",
    "SMMplanner: отложенные публикации во ВКонтакте, ОК, Telegram и другие сети (руководство "
    "сервиса)",
    "2024",
    "https://smmplanner.com/blog/pravila-publikacii-kontenta-kogda-i-skolko/amp",
)
SCHEDULERS_INTL = _s(
    "schedulers_intl",
    "Buffer: scheduling posts for Facebook, Instagram, TikTok and other networks",
    "Buffer: отложенные публикации в Facebook, Instagram, TikTok и другие сети",
    "2025",
    "https://buffer.com/",
)
ADS_RU = _s(
    "ads_ru",
    "VK Ads: promotion of communities and posts (VK's own guide)",
    "VK Реклама: продвижение сообществ и постов (руководство VK)",
    "2025",
    "https://ads.vk.ru/ru/insights/chto-takoe-engagement-rate",
)
ADS_META = _s(
    "ads_meta",
    "Meta: boosting a post from a Page (Meta's help)",
    "Meta: продвижение публикации со Страницы (справка Meta)",
    "2025",
    "https://www.facebook.com/business/help/347839548598012",
)
