"""Every controlled list deflectkit knows, each word with a human label: the one source.

Validation checks words against these lists, the JSON Schema enumerates them, the site
prints their labels, and the importers map other systems' codes onto them. Adding a word
here adds it everywhere; nothing else in the package spells these words out. Every word
also has a Spanish label (:data:`LABELS_ES`), for the pages a person reads.

Example:
    >>> from deflectkit.vocabulary import SERVICES
    >>> SERVICES.label("withdrawal_management")
    'Withdrawal management (detox)'
    >>> SERVICES.suggest("withdrawl_management")
    'withdrawal_management'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from deflectkit.spelling import closest

__all__ = [
    "ACCESSIBILITY",
    "ALL_VOCABULARIES",
    "ASAM_LEVELS",
    "CASE_STATUSES",
    "CHARGE_DISPOSITIONS",
    "CONTACT_KINDS",
    "CONTACT_STATES",
    "DAYS",
    "EVENT_TYPES",
    "FIRST_STEPS",
    "LABELS_ES",
    "LABEL_LANGUAGES",
    "LANGUAGES",
    "MEDICATIONS",
    "MOUD",
    "NEEDS",
    "PATHWAYS",
    "PAYMENT",
    "POPULATIONS",
    "PROVIDER_LIST_FIELDS",
    "SERVICES",
    "SUBSTANCES",
    "SYNONYMS",
    "Term",
    "Vocabulary",
]


#: A language labels are written in: English, or US Spanish.
Language = Literal["en", "es"]
#: Every :data:`Language`, English first.
LABEL_LANGUAGES: tuple[Language, ...] = ("en", "es")


@attrs.frozen
class Term:
    """One word of a controlled vocabulary.

    Attributes:
        word: the machine word written in YAML (``withdrawal_management``).
        label: what people read on the site (``Withdrawal management (detox)``).
        description: one plain sentence, for the field reference and tooltips.
    """

    word: str
    label: str
    description: str = ""


@attrs.frozen
class Vocabulary:
    """A named, ordered, closed list of :class:`Term` values.

    Example:
        >>> from deflectkit.vocabulary import DAYS
        >>> "mon" in DAYS, DAYS.label("sun")
        (True, 'Sunday')
    """

    name: str
    title: str
    terms: tuple[Term, ...]
    #: What one word is called in messages ("service", "language code").
    item: str = "word"
    _by_word: dict[str, Term] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_word", {t.word: t for t in self.terms})

    @property
    def words(self) -> tuple[str, ...]:
        """The words in their documented order."""
        return tuple(t.word for t in self.terms)

    def __contains__(self, word: object) -> bool:
        return word in self._by_word

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def term(self, word: str) -> Term:
        """The term for ``word``; ``KeyError`` if it is not in this vocabulary."""
        return self._by_word[word]

    def label(self, word: str, lang: Language = "en") -> str:
        """The human label for ``word``, or the word itself made readable if unknown.

        Args:
            word: a word of this vocabulary.
            lang: ``"en"`` or ``"es"``; a word without a label in that language (none
                should have, a test checks) gets its English one.

        Example:
            >>> from deflectkit.vocabulary import NEEDS
            >>> NEEDS.label("opioids", lang="es")
            'Consumo de opioides'
        """
        term = self._by_word.get(word)
        if term is None:
            return word.replace("_", " ").capitalize()
        if lang == "en":
            return term.label
        translated = _TRANSLATED.get(lang)
        if translated is None:
            msg = f"unknown language {lang!r}; use one of: {', '.join(LABEL_LANGUAGES)}"
            raise ValueError(msg)
        return translated.get(self.name, {}).get(word, term.label)

    def suggest(self, word: str) -> str | None:
        """The closest known word to a misspelling, for "did you mean …?" messages."""
        lowered = word.strip().lower().replace(" ", "_").replace("-", "_")
        if lowered in self._by_word:
            return lowered
        by_label = {t.label.lower(): t.word for t in self.terms}
        if word.strip().lower() in by_label:
            return by_label[word.strip().lower()]
        return closest(lowered, self.words, cutoff=0.75)


def _vocab(
    name: str, title: str, *terms: tuple[str, str] | tuple[str, str, str], item: str = "word"
) -> Vocabulary:
    return Vocabulary(name, title, tuple(Term(*t) for t in terms), item)


SERVICES = _vocab(
    "services",
    "Services",
    ("assessment", "Assessment and referral", "Screening and a plan for the right level of care."),
    ("outpatient", "Outpatient treatment", "Counseling and treatment visits; the person lives at home."),
    ("intensive_outpatient", "Intensive outpatient (IOP)", "Nine or more hours of treatment a week (ASAM 2.1)."),
    ("partial_hospitalization", "Partial hospitalization (day treatment)", "Twenty or more hours a week (ASAM 2.5)."),
    ("residential", "Residential treatment", "Treatment while living on site around the clock (ASAM 3.x)."),
    ("inpatient", "Hospital inpatient", "Medically managed care in a hospital (ASAM 4)."),
    ("withdrawal_management", "Withdrawal management (detox)", "Supervised, safe withdrawal from alcohol or drugs."),
    ("crisis_stabilization", "Crisis stabilization", "Short stays or walk-in care for a mental-health or substance-use crisis."),
    ("mobile_crisis", "Mobile crisis team", "Clinicians who come to the person in the community."),
    ("medications", "Medications for addiction treatment", "Prescribes or dispenses medications for substance use disorders."),
    ("mental_health_care", "Mental health care", "Counseling, therapy or psychiatric care for mental illness."),
    ("harm_reduction", "Harm reduction", "Safer-use supplies, education and low-barrier help without conditions."),
    ("naloxone_distribution", "Naloxone distribution", "Free naloxone (Narcan) and training to reverse an overdose."),
    ("syringe_services", "Syringe services", "Sterile supplies and disposal, often with testing and referrals."),
    ("peer_support", "Peer support", "Support from people with lived experience of recovery."),
    ("case_management", "Case management", "Help with benefits, appointments, transport and next steps."),
    ("recovery_housing", "Recovery housing (sober living)", "Alcohol- and drug-free housing that supports recovery."),
    ("housing_assistance", "Housing assistance", "Shelter, rapid rehousing or help finding housing."),
    ("telehealth", "Telehealth", "Visits by phone or video."),
    ("family_support", "Family support", "Education and support for families and friends."),
    item="service",
)

MEDICATIONS = _vocab(
    "medications",
    "Medications",
    ("buprenorphine", "Buprenorphine", "Partial opioid agonist for opioid use disorder (e.g. Suboxone, Sublocade)."),
    ("methadone", "Methadone", "Full opioid agonist for opioid use disorder; only in an Opioid Treatment Program."),
    ("naltrexone", "Naltrexone", "Opioid antagonist for opioid or alcohol use disorder (e.g. Vivitrol)."),
    ("acamprosate", "Acamprosate", "Medication for alcohol use disorder."),
    ("disulfiram", "Disulfiram", "Medication for alcohol use disorder."),
    item="medication",
)

#: The three FDA-approved medications for opioid use disorder (docs/design/domain.md#treatment-vocabulary).
MOUD: frozenset[str] = frozenset({"buprenorphine", "methadone", "naltrexone"})

SUBSTANCES = _vocab(
    "substances",
    "Substances treated",
    ("opioids", "Opioids", "Heroin, fentanyl and prescription opioids."),
    ("stimulants", "Stimulants", "Methamphetamine, cocaine and other stimulants."),
    ("alcohol", "Alcohol"),
    ("cannabis", "Cannabis"),
    ("sedatives", "Sedatives", "Benzodiazepines and other sedatives."),
    ("other_substances", "Other substances"),
    item="substance",
)

#: What a person needs, as a referral route or an officer names it; ``dk.match`` reads these.
NEEDS = _vocab(
    "needs",
    "Needs",
    ("opioids", "Opioid use", "Treatment for opioid use, preferably with medication."),
    ("stimulants", "Stimulant use"),
    ("alcohol", "Alcohol use"),
    ("cannabis", "Cannabis use"),
    ("sedatives", "Sedative use"),
    ("substance_use", "Any substance use", "Substance-use treatment, whatever the substance."),
    ("mental_health", "Mental health", "Mental-health care or crisis stabilization."),
    ("crisis", "Crisis", "A place that takes a person in crisis now."),
    ("withdrawal", "Withdrawal", "Withdrawal management (detox)."),
    ("housing", "Housing", "Recovery housing or housing assistance."),
    ("harm_reduction", "Harm reduction", "Naloxone, safer-use supplies, low-barrier help."),
    ("assessment", "Assessment", "Someone to assess and route the person."),
)

PAYMENT = _vocab(
    "payment",
    "Payment accepted",
    ("medicaid", "Medicaid (AHCCCS in Arizona)"),
    ("medicare", "Medicare"),
    ("private", "Private insurance"),
    ("military", "Military insurance (TRICARE)"),
    ("va", "Veterans Affairs"),
    ("ihs_tribal", "IHS, tribal or urban Indian funds"),
    ("self_pay", "Cash or self-pay"),
    ("sliding_scale", "Sliding fee scale"),
    ("payment_assistance", "Payment assistance"),
    ("free", "Free of charge"),
    item="payment option",
)

#: ASAM Criteria levels of care (3rd edition numbering, docs/design/domain.md#treatment-vocabulary), written as strings
#: so that "2.1" never becomes a float and the 4th edition can add its own words.
ASAM_LEVELS = _vocab(
    "asam_levels",
    "ASAM levels of care",
    ("0.5", "0.5 Early intervention"),
    ("1", "1 Outpatient services"),
    ("1-OTP", "1 Opioid treatment program"),
    ("2.1", "2.1 Intensive outpatient"),
    ("2.5", "2.5 Partial hospitalization"),
    ("3.1", "3.1 Clinically managed low-intensity residential"),
    ("3.3", "3.3 Clinically managed population-specific high-intensity residential"),
    ("3.5", "3.5 Clinically managed high-intensity residential"),
    ("3.7", "3.7 Medically monitored intensive inpatient"),
    ("4", "4 Medically managed intensive inpatient"),
    ("1-WM", "1-WM Ambulatory withdrawal management without extended on-site monitoring"),
    ("2-WM", "2-WM Ambulatory withdrawal management with extended on-site monitoring"),
    ("3.2-WM", "3.2-WM Clinically managed residential withdrawal management"),
    ("3.7-WM", "3.7-WM Medically monitored inpatient withdrawal management"),
    ("4-WM", "4-WM Medically managed intensive inpatient withdrawal management"),
    item="ASAM level",
)

ACCESSIBILITY = _vocab(
    "accessibility",
    "Accessibility",
    ("wheelchair", "Wheelchair accessible"),
    ("accessible_restroom", "Accessible restroom"),
    ("accessible_parking", "Accessible parking"),
    ("elevator", "Elevator"),
    ("sign_language", "Sign language interpreters"),
    ("hearing_loop", "Hearing loop"),
    ("braille", "Braille or large-print materials"),
    ("service_animals", "Service animals welcome"),
    ("public_transit", "Near public transit"),
    item="accessibility feature",
)

POPULATIONS = _vocab(
    "populations",
    "Programs for",
    ("veterans", "Veterans"),
    ("youth", "Youth (under 18)"),
    ("young_adults", "Young adults (18–25)"),
    ("women", "Women"),
    ("pregnant_postpartum", "Pregnant and postpartum people"),
    ("lgbtq", "LGBTQ+ people"),
    ("justice_involved", "People involved with the justice system"),
    ("seniors", "Older adults"),
    ("unhoused", "People experiencing homelessness"),
    item="population",
)

DAYS = _vocab(
    "days",
    "Days",
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)

#: What happens to a possible charge when a person is deflected (docs/design/domain.md#consent-direction; 42 CFR 2.35).
CHARGE_DISPOSITIONS = _vocab(
    "charge_dispositions",
    "Charge dispositions",
    ("no_charge", "No charge", "There was no offense to charge."),
    ("not_filed", "Not filed", "A charge was possible and is not filed (Tucson-style deflection)."),
    ("held_in_abeyance", "Held in abeyance", "The charge is held and dropped on completion; may need Part 2 consent for progress reports."),
)

#: The six PTACC deflection pathways (docs/design/domain.md#pathways).
PATHWAYS = _vocab(
    "pathways",
    "Deflection pathways",
    ("self_referral", "Self-referral", "A person asks a first responder for help and is connected to treatment without fear of arrest."),
    ("active_outreach", "Active outreach", "Responders or partners seek out people who may need treatment and engage them."),
    ("naloxone_plus", "Naloxone plus", "Outreach to a person after an overdose, to engage them in treatment."),
    ("officer_prevention", "Officer prevention", "An officer refers a person to treatment during a contact where no charge is involved."),
    ("officer_intervention", "Officer intervention", "An officer refers a person who could be charged; charges are held or not filed."),
    ("community_response", "Community response", "Calls for service are answered with a community or health response instead of police alone."),
)

#: Event types in a de-identified program log (docs/design/formats.md#event-log) and in a follow-up case (docs/design/formats.md#follow-up-events).
EVENT_TYPES = _vocab(
    "event_types",
    "Event types",
    ("encounter_assessed", "Encounter assessed", "An officer assessed an encounter for deflection."),
    ("offered", "Deflection offered"),
    ("declined", "Offer declined"),
    ("referred", "Referred", "The person accepted and was referred: one deflection."),
    ("handoff_completed", "Hand-off completed", "The person was handed to the provider or navigator."),
    ("provider_refused", "Provider refused", "A provider turned a hand-off away."),
    ("consent_recorded", "Consent recorded", "The person signed a 42 CFR Part 2 consent for the provider to tell the program about treatment; detail: its end date, or empty for until revoked."),
    ("consent_revoked", "Consent revoked", "The person revoked that consent."),
    ("intake", "Treatment intake", "The person started treatment."),
    ("intake_missed", "Intake missed"),
    ("treatment_contact", "Treatment contact"),
    ("return_to_use", "Return to use", "Reported return to use; the case stays open."),
    ("followup_attempt", "Follow-up attempt"),
    ("followup_reached", "Follow-up reached"),
    ("overdose_reversal", "Overdose reversal", "A responder gave naloxone and reversed an overdose."),
    ("closed", "Case closed"),
)

CASE_STATUSES = _vocab(
    "case_statuses",
    "Case statuses",
    ("referred", "Referred"),
    ("intake_missed", "Intake missed"),
    ("initiated", "Initiated treatment"),
    ("engaged", "Engaged in treatment"),
    ("not_initiated", "Not initiated by day 13", "No intake on the day of referral or the 13 days after; the case stays open."),
    ("started_late", "Started treatment after day 13", "In treatment; the start came too late to count as initiation."),
    ("lost_to_contact", "Lost to contact"),
    ("closed", "Closed"),
)

CONTACT_KINDS = _vocab(
    "contact_kinds",
    "Follow-up contacts",
    ("checkpoint", "Scheduled check-in"),
    ("re_engagement", "Re-engagement after a return to use"),
    ("re_contact", "Re-contact after a missed intake"),
    ("outreach", "Post-overdose outreach"),
)
CONTACT_STATES = _vocab(
    "contact_states",
    "Follow-up contact states",
    ("pending", "Pending", "Scheduled, not yet reached; attempts may still be made."),
    ("reached", "Reached", "A follow-up attempt reached the person."),
    ("unable_to_contact", "Unable to contact", "The attempt window passed, or every attempt allowed failed."),
    ("skipped", "Skipped", "No longer needed: the case closed, or the intake a re-contact was for took place."),
)

#: Labels for the first steps policies commonly name. Policies may name others; they are
#: shown with :meth:`Vocabulary.label`'s readable fallback.
FIRST_STEPS = _vocab(
    "first_steps",
    "First steps",
    ("call_ems", "Call EMS", "Get medical help first; decide on deflection afterwards."),
    ("safety_response", "Safety response", "Make the scene safe; deflection is not an option now."),
    ("medical_evaluation", "Medical evaluation", "Have the person evaluated; they cannot consent now."),
    ("contact_guardian", "Contact a parent or guardian", "Use the juvenile process and reach a guardian."),
    ("supervisor_review", "Supervisor review", "A supervisor decides before the referral goes ahead."),
    ("crisis_response", "Call for crisis care", "Call 988 or the mobile crisis team and stay with the person; refer to crisis care."),
    ("serve_warrant", "Serve the warrant", "Follow the warrant process; deflection is not an option now."),
    ("leave_information", "Leave information", "Leave the program's number and where to get help, in case they change their mind."),
)

# ISO 639-1 two-letter language codes with English names.
_ISO_639_1 = (
    "aa Afar|ab Abkhazian|ae Avestan|af Afrikaans|ak Akan|am Amharic|an Aragonese|ar Arabic|"
    "as Assamese|av Avaric|ay Aymara|az Azerbaijani|ba Bashkir|be Belarusian|bg Bulgarian|"
    "bi Bislama|bm Bambara|bn Bengali|bo Tibetan|br Breton|bs Bosnian|ca Catalan|ce Chechen|"
    "ch Chamorro|co Corsican|cr Cree|cs Czech|cu Church Slavic|cv Chuvash|cy Welsh|da Danish|"
    "de German|dv Divehi|dz Dzongkha|ee Ewe|el Greek|en English|eo Esperanto|es Spanish|"
    "et Estonian|eu Basque|fa Persian|ff Fulah|fi Finnish|fj Fijian|fo Faroese|fr French|"
    "fy Western Frisian|ga Irish|gd Scottish Gaelic|gl Galician|gn Guarani|gu Gujarati|gv Manx|"
    "ha Hausa|he Hebrew|hi Hindi|ho Hiri Motu|hr Croatian|ht Haitian Creole|hu Hungarian|"
    "hy Armenian|hz Herero|ia Interlingua|id Indonesian|ie Interlingue|ig Igbo|ii Sichuan Yi|"
    "ik Inupiaq|io Ido|is Icelandic|it Italian|iu Inuktitut|ja Japanese|jv Javanese|ka Georgian|"
    "kg Kongo|ki Kikuyu|kj Kuanyama|kk Kazakh|kl Kalaallisut|km Khmer|kn Kannada|ko Korean|"
    "kr Kanuri|ks Kashmiri|ku Kurdish|kv Komi|kw Cornish|ky Kyrgyz|la Latin|lb Luxembourgish|"
    "lg Ganda|li Limburgish|ln Lingala|lo Lao|lt Lithuanian|lu Luba-Katanga|lv Latvian|"
    "mg Malagasy|mh Marshallese|mi Maori|mk Macedonian|ml Malayalam|mn Mongolian|mr Marathi|"
    "ms Malay|mt Maltese|my Burmese|na Nauru|nb Norwegian Bokmål|nd North Ndebele|ne Nepali|"
    "ng Ndonga|nl Dutch|nn Norwegian Nynorsk|no Norwegian|nr South Ndebele|nv Navajo|"
    "ny Chichewa|oc Occitan|oj Ojibwa|om Oromo|or Odia|os Ossetian|pa Punjabi|pi Pali|"
    "pl Polish|ps Pashto|pt Portuguese|qu Quechua|rm Romansh|rn Rundi|ro Romanian|ru Russian|"
    "rw Kinyarwanda|sa Sanskrit|sc Sardinian|sd Sindhi|se Northern Sami|sg Sango|si Sinhala|"
    "sk Slovak|sl Slovenian|sm Samoan|sn Shona|so Somali|sq Albanian|sr Serbian|ss Swati|"
    "st Southern Sotho|su Sundanese|sv Swedish|sw Swahili|ta Tamil|te Telugu|tg Tajik|th Thai|"
    "ti Tigrinya|tk Turkmen|tl Tagalog|tn Tswana|to Tonga|tr Turkish|ts Tsonga|tt Tatar|"
    "tw Twi|ty Tahitian|ug Uyghur|uk Ukrainian|ur Urdu|uz Uzbek|ve Venda|vi Vietnamese|"
    "vo Volapük|wa Walloon|wo Wolof|xh Xhosa|yi Yiddish|yo Yoruba|za Zhuang|zh Chinese|zu Zulu"
)

LANGUAGES = Vocabulary(
    "languages",
    "Languages (ISO 639-1)",
    tuple(Term(*entry.split(" ", 1)) for entry in _ISO_639_1.split("|")),
    item="language code",
)

# Spanish language names, as people write them in Spanish, in the order of ``_ISO_639_1``.
_ISO_639_1_ES = (
    "aa afar|ab abjasio|ae avéstico|af afrikáans|ak akan|am amárico|an aragonés|ar árabe|"
    "as asamés|av avar|ay aimara|az azerbaiyano|ba baskir|be bielorruso|bg búlgaro|"
    "bi bislama|bm bambara|bn bengalí|bo tibetano|br bretón|bs bosnio|ca catalán|ce checheno|"
    "ch chamorro|co corso|cr cree|cs checo|cu eslavo eclesiástico|cv chuvasio|cy galés|"
    "da danés|de alemán|dv divehi|dz dzongkha|ee ewe|el griego|en inglés|eo esperanto|"
    "es español|et estonio|eu euskera|fa persa|ff fula|fi finlandés|fj fiyiano|fo feroés|"
    "fr francés|fy frisón occidental|ga irlandés|gd gaélico escocés|gl gallego|gn guaraní|"
    "gu guyaratí|gv manés|ha hausa|he hebreo|hi hindi|ho hiri motu|hr croata|"
    "ht criollo haitiano|hu húngaro|hy armenio|hz herero|ia interlingua|id indonesio|"
    "ie interlingue|ig igbo|ii yi de Sichuán|ik inupiaq|io ido|is islandés|it italiano|"
    "iu inuktitut|ja japonés|jv javanés|ka georgiano|kg kikongo|ki kikuyu|kj kuanyama|"
    "kk kazajo|kl groenlandés|km jemer|kn canarés|ko coreano|kr kanuri|ks cachemir|ku kurdo|"
    "kv komi|kw córnico|ky kirguís|la latín|lb luxemburgués|lg ganda|li limburgués|"
    "ln lingala|lo lao|lt lituano|lu luba-katanga|lv letón|mg malgache|mh marshalés|"
    "mi maorí|mk macedonio|ml malayalam|mn mongol|mr maratí|ms malayo|mt maltés|my birmano|"
    "na nauruano|nb noruego bokmal|nd ndebele del norte|ne nepalí|ng ndonga|nl neerlandés|"
    "nn noruego nynorsk|no noruego|nr ndebele del sur|nv navajo|ny chichewa|oc occitano|"
    "oj ojibwa|om oromo|or oriya|os osético|pa panyabí|pi pali|pl polaco|ps pastún|"
    "pt portugués|qu quechua|rm romanche|rn kirundi|ro rumano|ru ruso|rw kinyarwanda|"
    "sa sánscrito|sc sardo|sd sindi|se sami septentrional|sg sango|si cingalés|sk eslovaco|"
    "sl esloveno|sm samoano|sn shona|so somalí|sq albanés|sr serbio|ss suazi|st sesoto|"
    "su sundanés|sv sueco|sw suajili|ta tamil|te telugu|tg tayiko|th tailandés|ti tigriña|"
    "tk turcomano|tl tagalo|tn setsuana|to tongano|tr turco|ts tsonga|tt tártaro|tw twi|"
    "ty tahitiano|ug uigur|uk ucraniano|ur urdu|uz uzbeko|ve venda|vi vietnamita|vo volapük|"
    "wa valón|wo wólof|xh xhosa|yi yidis|yo yoruba|za chuang|zh chino|zu zulú"
)

#: Spanish labels, by vocabulary name then word: US Spanish as spoken in Arizona, in plain,
#: person-first words (docs/playbook/stigma.md applies in Spanish too: "persona con un
#: trastorno por consumo de sustancias", "volver a consumir", never "adicto" or "recaída").
#: One entry per word of every list, including the match reasons of
#: :mod:`deflectkit.core.matching`; a test fails when a word has none. Read them with
#: ``Vocabulary.label(word, lang="es")`` or ``dk.label(word, lang="es")``.
LABELS_ES: Mapping[str, Mapping[str, str]] = {
    "services": {
        "assessment": "Evaluación y referido",
        "outpatient": "Tratamiento ambulatorio",
        "intensive_outpatient": "Tratamiento ambulatorio intensivo (IOP)",
        "partial_hospitalization": "Hospitalización parcial (tratamiento de día)",
        "residential": "Tratamiento residencial",
        "inpatient": "Hospitalización",
        "withdrawal_management": "Manejo de los síntomas de abstinencia (desintoxicación)",
        "crisis_stabilization": "Estabilización en crisis",
        "mobile_crisis": "Equipo móvil de crisis",
        "medications": "Tratamiento con medicamentos para trastornos por consumo de sustancias",
        "mental_health_care": "Atención de salud mental",
        "harm_reduction": "Reducción de daños",
        "naloxone_distribution": "Distribución de naloxona",
        "syringe_services": "Servicios de jeringas estériles",
        "peer_support": "Apoyo de pares (personas en recuperación)",
        "case_management": "Manejo de casos",
        "recovery_housing": "Vivienda para la recuperación (vivienda sobria)",
        "housing_assistance": "Ayuda con vivienda",
        "telehealth": "Telesalud (por teléfono o video)",
        "family_support": "Apoyo para familias",
    },
    "medications": {
        "buprenorphine": "Buprenorfina",
        "methadone": "Metadona",
        "naltrexone": "Naltrexona",
        "acamprosate": "Acamprosato",
        "disulfiram": "Disulfiram",
    },
    "substances": {
        "opioids": "Opioides",
        "stimulants": "Estimulantes",
        "alcohol": "Alcohol",
        "cannabis": "Cannabis",
        "sedatives": "Sedantes",
        "other_substances": "Otras sustancias",
    },
    "needs": {
        "opioids": "Consumo de opioides",
        "stimulants": "Consumo de estimulantes",
        "alcohol": "Consumo de alcohol",
        "cannabis": "Consumo de cannabis",
        "sedatives": "Consumo de sedantes",
        "substance_use": "Consumo de cualquier sustancia",
        "mental_health": "Salud mental",
        "crisis": "Crisis",
        "withdrawal": "Síntomas de abstinencia (desintoxicación)",
        "housing": "Vivienda",
        "harm_reduction": "Reducción de daños",
        "assessment": "Evaluación",
    },
    "payment": {
        "medicaid": "Medicaid (AHCCCS en Arizona)",
        "medicare": "Medicare",
        "private": "Seguro médico privado",
        "military": "Seguro militar (TRICARE)",
        "va": "Asuntos de Veteranos (VA)",
        "ihs_tribal": "IHS, fondos tribales o de salud indígena urbana",
        "self_pay": "Pago en efectivo o por cuenta propia",
        "sliding_scale": "Tarifa según sus ingresos",
        "payment_assistance": "Ayuda con el pago",
        "free": "Gratis",
    },
    "asam_levels": {
        "0.5": "0.5 Intervención temprana",
        "1": "1 Servicios ambulatorios",
        "1-OTP": "1 Programa de tratamiento de opioides",
        "2.1": "2.1 Tratamiento ambulatorio intensivo",
        "2.5": "2.5 Hospitalización parcial",
        "3.1": "3.1 Residencial de baja intensidad con manejo clínico",
        "3.3": "3.3 Residencial de alta intensidad con manejo clínico para poblaciones específicas",
        "3.5": "3.5 Residencial de alta intensidad con manejo clínico",
        "3.7": "3.7 Internación intensiva con supervisión médica",
        "4": "4 Internación intensiva con manejo médico",
        "1-WM": "1-WM Manejo ambulatorio de la abstinencia sin supervisión prolongada en el lugar",
        "2-WM": "2-WM Manejo ambulatorio de la abstinencia con supervisión prolongada en el lugar",
        "3.2-WM": "3.2-WM Manejo residencial de la abstinencia con manejo clínico",
        "3.7-WM": "3.7-WM Manejo de la abstinencia con internación y supervisión médica",
        "4-WM": "4-WM Manejo de la abstinencia con internación intensiva y manejo médico",
    },
    "accessibility": {
        "wheelchair": "Acceso para silla de ruedas",
        "accessible_restroom": "Baño accesible",
        "accessible_parking": "Estacionamiento accesible",
        "elevator": "Elevador",
        "sign_language": "Intérpretes de lenguaje de señas",
        "hearing_loop": "Sistema de bucle auditivo",
        "braille": "Materiales en braille o letra grande",
        "service_animals": "Se aceptan animales de servicio",
        "public_transit": "Cerca del transporte público",
    },
    "populations": {
        "veterans": "Veteranos",
        "youth": "Jóvenes (menores de 18)",
        "young_adults": "Adultos jóvenes (18–25)",
        "women": "Mujeres",
        "pregnant_postpartum": "Personas embarazadas o en el posparto",
        "lgbtq": "Personas LGBTQ+",
        "justice_involved": "Personas involucradas con el sistema de justicia",
        "seniors": "Adultos mayores",
        "unhoused": "Personas sin hogar",
    },
    "languages": {
        code: name[0].upper() + name[1:]
        for code, name in (entry.split(" ", 1) for entry in _ISO_639_1_ES.split("|"))
    },
    "days": {
        "mon": "Lunes",
        "tue": "Martes",
        "wed": "Miércoles",
        "thu": "Jueves",
        "fri": "Viernes",
        "sat": "Sábado",
        "sun": "Domingo",
    },
    "charge_dispositions": {
        "no_charge": "Sin cargos",
        "not_filed": "No se presentan cargos",
        "held_in_abeyance": "Cargos en suspenso",
    },
    "pathways": {
        "self_referral": "La persona pide ayuda",
        "active_outreach": "Búsqueda activa",
        "naloxone_plus": "Naloxona y seguimiento",
        "officer_prevention": "Prevención por parte del agente",
        "officer_intervention": "Intervención por parte del agente",
        "community_response": "Respuesta comunitaria",
    },
    "event_types": {
        "encounter_assessed": "Encuentro evaluado",
        "offered": "Se ofreció el programa de desvío",
        "declined": "Oferta rechazada",
        "referred": "Referido",
        "handoff_completed": "El proveedor recibió a la persona",
        "intake": "Admisión al tratamiento",
        "intake_missed": "Faltó a la cita de admisión",
        "treatment_contact": "Contacto de tratamiento",
        "return_to_use": "Volvió a consumir",
        "followup_attempt": "Intento de seguimiento",
        "followup_reached": "Seguimiento logrado",
        "closed": "Caso cerrado",
        "provider_refused": "El proveedor no recibió a la persona",
        "consent_recorded": "Consentimiento registrado",
        "consent_revoked": "Consentimiento revocado",
        "overdose_reversal": "Sobredosis revertida",
    },
    "case_statuses": {
        "referred": "Referido",
        "intake_missed": "Faltó a la cita de admisión",
        "initiated": "Comenzó el tratamiento",
        "engaged": "Participa en el tratamiento",
        "not_initiated": "No comenzó en 14 días",
        "started_late": "Comenzó el tratamiento después del día 13",
        "lost_to_contact": "Sin contacto",
        "closed": "Cerrado",
    },
    "contact_kinds": {
        "checkpoint": "Seguimiento programado",
        "re_engagement": "Nuevo contacto después de volver a consumir",
        "re_contact": "Nuevo contacto después de faltar a la cita de admisión",
        "outreach": "Contacto después de una sobredosis",
    },
    "contact_states": {
        "pending": "Pendiente",
        "reached": "Contactado",
        "unable_to_contact": "No se pudo contactar",
        "skipped": "Ya no hace falta",
    },
    "first_steps": {
        "call_ems": "Llamar a servicios médicos de emergencia",
        "safety_response": "Respuesta de seguridad",
        "medical_evaluation": "Evaluación médica",
        "contact_guardian": "Comunicarse con la madre, el padre o el tutor",
        "supervisor_review": "Revisión de un supervisor",
        "crisis_response": "Llamar para atención en crisis",
        "serve_warrant": "Ejecutar la orden judicial",
        "leave_information": "Dejar información",
    },
    "match_reasons": {
        "serves_need": "Atiende esta necesidad",
        "open_24_7": "Abierto 24/7",
        "open_now": "Abierto para admisiones ahora",
        "distance": "Distancia",
        "takes_dropoff": "Recibe traslados de la policía",
        "officer_minutes": "Tiempo del agente hasta que reciben a la persona",
        "verified_recently": "Verificado recientemente",
        "serves_age": "Atiende esta edad",
        "accepts_payment": "Acepta esta forma de pago",
        "free_of_charge": "Gratis",
        "speaks_language": "Atienden en este idioma",
        "offers_medication": "Ofrece este medicamento",
        "closed_now": "Cerrado para admisiones ahora",
        "no_intake_hours": "Sin horario de admisión",
        "hours_unknown": "Horario desconocido: llame antes",
        "location_unknown": "Ubicación desconocida",
        "no_dropoff": "No indica que reciba traslados de la policía",
        "not_verified_recently": "No verificado recientemente",
        "never_verified": "Nunca verificado",
    },
}

#: Labels in each language other than English (English labels live in the terms).
_TRANSLATED: Mapping[Language, Mapping[str, Mapping[str, str]]] = {"es": LABELS_ES}

#: Which list field of a provider file takes its words from which vocabulary (docs/design/formats.md#provider-files).
#: Validation, the JSON Schema, the HSDS taxonomy and the field reference all read this.
PROVIDER_LIST_FIELDS: dict[str, Vocabulary] = {
    "services": SERVICES,
    "medications": MEDICATIONS,
    "substances": SUBSTANCES,
    "payment": PAYMENT,
    "asam_levels": ASAM_LEVELS,
    "languages": LANGUAGES,
    "accessibility": ACCESSIBILITY,
    "populations": POPULATIONS,
}

#: Every vocabulary by name, for the schema generator and the field reference page.
ALL_VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        SERVICES, MEDICATIONS, SUBSTANCES, NEEDS, PAYMENT, ASAM_LEVELS, ACCESSIBILITY,
        POPULATIONS, LANGUAGES, DAYS, PATHWAYS, EVENT_TYPES, CASE_STATUSES, CONTACT_KINDS,
        CONTACT_STATES,
        FIRST_STEPS, CHARGE_DISPOSITIONS,
    )
}

#: What people type for what the vocabularies call it: brand names, street words and old
#: names, each mapped to words that appear in our labels. The directory's search box swaps
#: them before matching, so "suboxone" finds buprenorphine prescribers. Lowercase, one or
#: two words on the left; brand names from the FDA's drug labels (Suboxone, Zubsolv,
#: Sublocade, Vivitrol, Narcan: https://www.accessdata.fda.gov/scripts/cder/daf/).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("suboxone", "buprenorphine"),
    ("subutex", "buprenorphine"),
    ("zubsolv", "buprenorphine"),
    ("sublocade", "buprenorphine"),
    ("brixadi", "buprenorphine"),
    ("bupe", "buprenorphine"),
    ("vivitrol", "naltrexone"),
    ("antabuse", "disulfiram"),
    ("narcan", "naloxone"),
    ("kloxxado", "naloxone"),
    ("detox", "withdrawal management"),
    ("meth", "stimulants"),
    ("crystal", "stimulants"),
    ("cocaine", "stimulants"),
    ("crack", "stimulants"),
    ("heroin", "opioids"),
    ("fentanyl", "opioids"),
    ("oxy", "opioids"),
    ("pills", "opioids"),
    ("mat", "medications"),
    ("moud", "medications"),
    ("rehab", "residential"),
    ("sober living", "recovery housing"),
    ("halfway house", "recovery housing"),
    ("shelter", "housing"),
    ("homeless", "homelessness"),
    ("booze", "alcohol"),
    ("drinking", "alcohol"),
    ("weed", "cannabis"),
    ("marijuana", "cannabis"),
    ("benzos", "sedatives"),
    ("xanax", "sedatives"),
    ("suicidal", "crisis"),
    ("988", "crisis"),
    ("vets", "veterans"),
    ("va", "veterans"),
    ("teen", "youth"),
    ("teens", "youth"),
    ("kids", "youth"),
    ("lgbt", "lgbtq"),
    ("gay", "lgbtq"),
    ("trans", "lgbtq"),
)
