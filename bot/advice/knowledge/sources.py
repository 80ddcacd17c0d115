"""Every source the advice may cite (from domain-facts.md), as a library can cite it.

Laws and government orders point at their official publication (the Official internet
portal of legal information, publication.pravo.gov.ru, and the countries' own legal
portals) and carry the act's number and date (``Source.act``); figures at the research
body's own page, or, where that page is not public, at the press report of the study;
platform rules at the platform's own help. Each has a year; its title in both languages is
the catalog key ``source.<id>``. What no citable work backs is our estimate and says so
(``estimate=True``); it may have no address at all. A rule known only from a news report,
its own text not found, is ``secondary=True`` and the advice says so.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bot.advice.models import Act, Source

PORTAL_SEARCH = "http://publication.pravo.gov.ru/documents/search"
"""The official portal's search (Официальный интернет-портал правовой информации)."""


def ru_act(id_: str, number: str, signed: str) -> Source:
    """A Russian act on the official portal.

    Its own page there (publication.pravo.gov.ru/document/<publication number>) could not be
    verified offline, so the link is the portal's search for the act by its number and date
    and ``Act.own_page`` is False; put the page's address here once it is checked.
    """
    query = urlencode(
        {
            "NumberSearchType": 0,
            "Number": number,
            "DocumentDateSearchType": 0,
            "DocumentDateFrom": signed,
            "DocumentDateTo": signed,
        }
    )
    return Source(
        id_, signed[-4:], f"{PORTAL_SEARCH}?{query}", act=Act(number, signed, own_page=False)
    )


# Audience figures (domain-facts §1).
MEDIASCOPE_AGE_2024 = Source("mediascope_age_2024", "2024", "https://mediascope.net/news/")
MEDIASCOPE_TG_AGE_2024 = Source("mediascope_tg_age_2024", "2024", "https://mediascope.net/news/")
MEDIASCOPE_AGE_2023 = Source("mediascope_age_2023", "2023", "https://mediascope.net/news/")
MEDIASCOPE_REACH_2025 = Source(
    "mediascope_reach_2025", "2025", "https://www.kommersant.ru/doc/8058240"
)
MEDIASCOPE_SILVER_2025 = Source("mediascope_silver_2025", "2025", "https://mediascope.net/news/")
FOM_2021 = Source("fom_2021", "2021", "https://fom.ru/SMI-iinternet/14555")
DZEN_2025 = Source("dzen_2025", "2023", "https://www.kommersant.ru/doc/6414061")
VK_VIDEO_2026 = Source("mediascope_video_2026", "2026", "https://mediascope.net/news/")
MAX_2025 = Source("max_2025", "2025", "https://ria.ru/20251203/max-2059632085.html")
BELARUS_2024 = Source("belarus_2024", "2024", "https://socio.bas-net.by/")
KAZAKHSTAN_2024 = Source(
    "kazakhstan_2024",
    "2024",
    "https://rus.baq.kz/instagram-tiktok-whatsapp-nazvany-top-sotssetey-sredi-kazahstantsev_300024265/",
)
KAZNU_2025 = Source(
    "kaznu_2025",
    "2024",
    "https://kz.kursiv.media/en/2025-04-10/engk-yeri-digital-habits-why-kazakhstan-loves-whatsapp-and-uzbekistan-prefers-telegram",
)
CA_BAROMETER_2023 = Source(
    "ca_barometer_2023",
    "2023",
    "https://ca-barometer.org/ru/publications/which-messaging-apps-are-popular-in-uzbekistan-kyrgyzstan-and-kazakhstan",
)
KYRGYZSTAN_2018 = Source(
    "kyrgyzstan_2018",
    "2018",
    "http://kabar.kg/eng/news/in-kyrgyzstan-northern-regions-use-internet-more-than-in-southern/",
)
PEW_2025 = Source(
    "pew_2025", "2025", "https://www.pewresearch.org/internet/fact-sheet/social-media/"
)
PEW_2023 = Source(
    "pew_2023",
    "2024",
    "https://www.pewresearch.org/internet/2024/01/31/americans-social-media-use/",
)
PEW_TEENS_2024 = Source(
    "pew_teens_2024",
    "2024",
    "https://www.pewresearch.org/internet/2024/12/12/teens-social-media-and-technology-2024/",
)

# Russian law (domain-facts §4.3): the acts themselves, on the official portal.
LAW_270FZ = ru_act("law_270fz", "270-ФЗ", "14.07.2022")
ORDER_2523R = ru_act("order_2523r", "2523-р", "02.09.2022")
LAW_72FZ = ru_act("law_72fz", "72-ФЗ", "07.04.2025")
RKN_10K_2024 = ru_act("rkn_10k_2024", "303-ФЗ", "08.08.2024")
DIALOG_TG_2024 = Source(
    "dialog_tg_2024",
    "2024",
    "https://korolevriamo.ru/news/obschestvo/rossiyanam-rasskazali-kak-dolzhny-rabotat-gospabliki",
)
BASHKORTOSTAN_RULES_2025 = Source(
    "bashkortostan_rules_2025",
    "2025",
    "https://news-bash.ru/politika/habirov-utverdil-novye-pravila-vedeniya-sotssetey-gosorganami-bashkortostana/",
    secondary=True,
)
SPB_RULES_2024 = Source(
    "spb_rules_2024", "2024", "https://fontanka.ru/2024/05/29/73639028", secondary=True
)
SPB_VK_2024 = Source(
    "spb_vk_2024",
    "2024",
    "https://moika78.ru/news/2024-04-18/978850-smolnyj-reshil-zaglyanut-v-vk-pabliki-podchinennyh",
    secondary=True,
)
GOSPABLIC_MARK = Source("gospablic_mark", "2022", "http://radm.gtn.ru/events/news/?id=12784")

# Languages of posts: constitutions and language laws of the bilingual countries.
KZ_CONSTITUTION = Source(
    "kz_constitution",
    "1995",
    "https://adilet.zan.kz/rus/docs/K950001000_",
    act=Act("", "30.08.1995", own_page=True),
)
BY_CONSTITUTION = Source(
    "by_constitution",
    "1994",
    "https://pravo.by/pravovaya-informatsiya/normativnye-dokumenty/konstitutsiya-respubliki-belarus/",
    act=Act("", "15.03.1994", own_page=True),
)
KG_CONSTITUTION = Source(
    "kg_constitution",
    "2021",
    "http://cbd.minjust.gov.kg/act/view/ru-ru/112213",
    act=Act("", "11.04.2021", own_page=True),
)
UZ_CONSTITUTION = Source(
    "uz_constitution",
    "2023",
    "https://lex.uz/docs/6445145",
    act=Act("", "30.04.2023", own_page=True),
)

# Platforms' own pages (domain-facts §4).
VK_PAGE_VS_GROUP = Source(
    "vk_page_vs_group", "2025", "https://dev.vk.com/ru/reference/objects/group"
)
FB_PROFILE_RULE = Source(
    "fb_profile_rule",
    "2025",
    "https://transparency.meta.com/policies/community-standards/account-integrity-and-authentic-identity/",
)
TG_CHANNELS = Source("tg_channels", "2025", "https://core.telegram.org/api/channel")

# Library practice and content (domain-facts §3).
RULE_OF_THIRDS = Source(
    "rule_of_thirds",
    "2016",
    "http://blog.hootsuite.com/social-media-rule-of-thirds/",
    estimate=True,
)
RUBRICS_LIBRARIES = Source(
    "rubrics_libraries",
    "2019",
    "https://www.webjunction.org/news/webjunction/the-social-library-volume-twentyseven.html",
)
SHISHKOVKA = Source("shishkovka", "2021", "https://sdelano.media/shishkovka/")
BOOK_SECTOR_SURVEY = Source(
    "book_sector_survey",
    "2019",
    "http://unkniga.ru/biblioteki/bibdelo/1510-soc-media-vs-chitalniy-zal.html",
)
FREQ_SUMMARY = Source("freq_summary", "2025", "", estimate=True)
TG_FREQ = Source("tg_freq", "2025", "", estimate=True)
RU_TIMES = Source("ru_times", "2024", "", estimate=True)
POPSTERS_2020 = Source(
    "popsters_2020",
    "2020",
    "https://realweb.lv/en/social-media-users-activity-global-research-2020/",
)
VK_PRIME_TIME = Source("vk_prime_time", "2019", "", estimate=True)
SPROUT_FB_2025 = Source("sprout_fb_2025", "2025", "https://sproutsocial.com/insights/?p=159401")
SPROUT_TIKTOK_2025 = Source(
    "sprout_tiktok_2025", "2025", "https://sproutsocial.com/insights/?p=172822"
)
SPROUT_2023 = Source(
    "sprout_2023",
    "2023",
    "https://www.socialmediatoday.com/news/report-best-times-to-post-social-platforms-twitter-instagram-tiktok-facebook-pintrist-linkedin/650006/",
)

# Measuring (domain-facts §3.4).
ER_FORMULA = Source("er_formula", "2025", "", estimate=True)
TG_ER_NORM = Source("tg_er_norm", "2025", "", estimate=True)
RIVAL_IQ_2024 = Source(
    "rival_iq_2024", "2024", "https://www.rivaliq.com/blog/social-media-industry-benchmark-report/"
)
NJ_KPIS = Source(
    "nj_kpis",
    "2016",
    "https://www.njstatelib.org/how-to-quantify-your-librarys-social-media-efforts/",
)
LIBRARY_KPIS = NJ_KPIS
VK_REACH_SIGN = Source("vk_reach_sign", "2015", "", estimate=True)
GROWTH_ESTIMATE = Source("growth_estimate", "2025", "", estimate=True)
LIBRARY_VK_STUDY = Source(
    "library_vk_study", "2022", "https://podpiska.rcsi.science/storage/materials/articles_297.html"
)

# Resources (domain-facts §5).
HOURS_FORMULA = Source("hours_formula", "2025", "", estimate=True)
ROLES = Source("roles", "2025", "", estimate=True)
COMMUNITY_MANAGER = Source("community_manager", "2025", "", estimate=True)
STAFFING_CASE = Source("staffing_case", "2025", "", estimate=True)

# Tools: each tool's own page.
TOOLS_RU = Source("tools_ru", "2025", "https://popsters.ru/app/faq")
TOOLS_TG = Source("tools_tg", "2025", "https://tgstat.ru/")
TOOLS_META = Source(
    "tools_meta", "2025", "https://www.facebook.com/business/tools/meta-business-suite"
)
TOOLS_YOUTUBE = Source(
    "tools_youtube", "2025", "https://support.google.com/youtube/answer/9002587"
)
SCHEDULERS = Source(
    "schedulers",
    "2024",
    "https://smmplanner.com/blog/pravila-publikacii-kontenta-kogda-i-skolko/amp",
)
SCHEDULERS_INTL = Source("schedulers_intl", "2025", "https://buffer.com/")
ADS_RU = Source("ads_ru", "2025", "https://ads.vk.ru/ru/insights/chto-takoe-engagement-rate")
ADS_META = Source("ads_meta", "2025", "https://www.facebook.com/business/help/347839548598012")
