"""Controlled vocabularies the ELM credentials use (EU Publications Office URIs).

Values were taken from the official micro-credential sample of the European Learning Model
repository and the Europass controlled lists; only values SkillPass emits are listed.
"""

from __future__ import annotations

from skillpass.credentials.models import LearningSetting, ParticipationMode, Supervision

SNB = "http://data.europa.eu/snb/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"

#: Scheme URIs (``inScheme``); the EDC SHACL "full" shapes check these.
SCHEME = {
    "credential": SNB + "credential/25831c2",
    "eqf": SNB + "eqf/25831c2",
    "qdr": SNB + "qdr/25831c2",
    "learning_setting": SNB + "learning-setting/25831c2",
    "learning_assessment": SNB + "learning-assessment/25831c2",
    "supervision": SNB + "supervision-verification/25831c2",
    "education_credit": SNB + "education-credit/25831c2",
    "learning_opportunity": SNB + "learning-opportunity/25831c2",
    "encoding": SNB + "encoding/25831c2",
    "esco_skills": "http://data.europa.eu/esco/concept-scheme/skills",
    "country": AUTHORITY + "country",
    "language": AUTHORITY + "language",
    "file_type": AUTHORITY + "file-type",
    "nuts": "http://data.europa.eu/nuts",
}

#: (URI, English label) pairs.
CREDENTIAL_GENERIC = (SNB + "credential/e34929035b", "Generic")
ECTS = (SNB + "education-credit/6fcec5c5af", "European Credit Transfer System")
SHORT_LEARNING_PROGRAMME = (SNB + "learning-opportunity/74a4a268e8", "Short learning programme")
BASE64 = (SNB + "encoding/6146cde7dd", "base64")
PNG = (AUTHORITY + "file-type/PNG", "PNG")

LEARNING_SETTING: dict[LearningSetting, tuple[str, str]] = {
    LearningSetting.FORMAL: (SNB + "learning-setting/6fd4685715", "formal learning"),
    LearningSetting.NON_FORMAL: (SNB + "learning-setting/e207a81fc7", "non-formal learning"),
}

#: Mode of learning and assessment.
MODE: dict[ParticipationMode, tuple[str, str]] = {
    ParticipationMode.ONLINE: (SNB + "learning-assessment/920fbb3cbe", "Online"),
    ParticipationMode.ONSITE: (SNB + "learning-assessment/9191af2ed9", "Presential"),
    ParticipationMode.BLENDED: (SNB + "learning-assessment/e92d221e4d", "Blended"),
}

#: Only the two values whose concept URIs are published in the samples we could check.
SUPERVISION: dict[Supervision, tuple[str, str]] = {
    Supervision.UNSUPERVISED_NO_IDENTITY_VERIFICATION: (
        SNB + "supervision-verification/c598449d64",
        "Unsupervised without ID Verification",
    ),
    Supervision.UNSUPERVISED_IDENTITY_VERIFIED: (
        SNB + "supervision-verification/df2880c5cb",
        "Unsupervised with ID verification",
    ),
}

#: ISO 3166-1 alpha-2 -> (EU country authority code, English name). Europe and main partners.
COUNTRIES: dict[str, tuple[str, str]] = {
    "AT": ("AUT", "Austria"),
    "BE": ("BEL", "Belgium"),
    "BG": ("BGR", "Bulgaria"),
    "HR": ("HRV", "Croatia"),
    "CY": ("CYP", "Cyprus"),
    "CZ": ("CZE", "Czechia"),
    "DK": ("DNK", "Denmark"),
    "EE": ("EST", "Estonia"),
    "FI": ("FIN", "Finland"),
    "FR": ("FRA", "France"),
    "DE": ("DEU", "Germany"),
    "GR": ("GRC", "Greece"),
    "EL": ("GRC", "Greece"),
    "HU": ("HUN", "Hungary"),
    "IE": ("IRL", "Ireland"),
    "IT": ("ITA", "Italy"),
    "LV": ("LVA", "Latvia"),
    "LT": ("LTU", "Lithuania"),
    "LU": ("LUX", "Luxembourg"),
    "MT": ("MLT", "Malta"),
    "NL": ("NLD", "Netherlands"),
    "PL": ("POL", "Poland"),
    "PT": ("PRT", "Portugal"),
    "RO": ("ROU", "Romania"),
    "SK": ("SVK", "Slovakia"),
    "SI": ("SVN", "Slovenia"),
    "ES": ("ESP", "Spain"),
    "SE": ("SWE", "Sweden"),
    "IS": ("ISL", "Iceland"),
    "LI": ("LIE", "Liechtenstein"),
    "NO": ("NOR", "Norway"),
    "CH": ("CHE", "Switzerland"),
    "GB": ("GBR", "United Kingdom"),
    "AL": ("ALB", "Albania"),
    "BA": ("BIH", "Bosnia and Herzegovina"),
    "ME": ("MNE", "Montenegro"),
    "MK": ("MKD", "North Macedonia"),
    "RS": ("SRB", "Serbia"),
    "XK": ("XKX", "Kosovo"),
    "TR": ("TUR", "Türkiye"),
    "UA": ("UKR", "Ukraine"),
    "MD": ("MDA", "Moldova"),
    "GE": ("GEO", "Georgia"),
    "AM": ("ARM", "Armenia"),
    "US": ("USA", "United States"),
    "CA": ("CAN", "Canada"),
    "AU": ("AUS", "Australia"),
    "NZ": ("NZL", "New Zealand"),
    "JP": ("JPN", "Japan"),
    "KR": ("KOR", "South Korea"),
    "CN": ("CHN", "China"),
    "IN": ("IND", "India"),
    "SG": ("SGP", "Singapore"),
    "BR": ("BRA", "Brazil"),
    "ZA": ("ZAF", "South Africa"),
}

#: ISO 639-1 -> (EU language authority code, English name): the 24 EU languages and a few more.
LANGUAGES: dict[str, tuple[str, str]] = {
    "bg": ("BUL", "Bulgarian"),
    "hr": ("HRV", "Croatian"),
    "cs": ("CES", "Czech"),
    "da": ("DAN", "Danish"),
    "nl": ("NLD", "Dutch"),
    "en": ("ENG", "English"),
    "et": ("EST", "Estonian"),
    "fi": ("FIN", "Finnish"),
    "fr": ("FRA", "French"),
    "de": ("DEU", "German"),
    "el": ("ELL", "Greek"),
    "hu": ("HUN", "Hungarian"),
    "ga": ("GLE", "Irish"),
    "it": ("ITA", "Italian"),
    "lv": ("LAV", "Latvian"),
    "lt": ("LIT", "Lithuanian"),
    "mt": ("MLT", "Maltese"),
    "pl": ("POL", "Polish"),
    "pt": ("POR", "Portuguese"),
    "ro": ("RON", "Romanian"),
    "sk": ("SLK", "Slovak"),
    "sl": ("SLV", "Slovenian"),
    "es": ("SPA", "Spanish"),
    "sv": ("SWE", "Swedish"),
    "is": ("ISL", "Icelandic"),
    "no": ("NOR", "Norwegian"),
    "tr": ("TUR", "Turkish"),
    "uk": ("UKR", "Ukrainian"),
}
