"""The coded conditions the plugin recognises, by CHA2DS2-VASc criterion.

A condition counts when one of its codings is listed here: SNOMED CT by exact concept id, ICD-10
(WHO or -CM, with or without the dot) by prefix. Only codes are read, never free text: a diagnosis
recorded as text alone is not seen (the model card says so). The Synthea sample data uses the
SNOMED concepts marked "Synthea".
"""

SNOMED = "http://snomed.info/sct"
ICD10_OIDS = ("urn:oid:2.16.840.1.113883.6.3", "urn:oid:2.16.840.1.113883.6.90")

# criterion -> {SNOMED CT concept id: display}
SNOMED_CODES = {
    "af": {
        "49436004": "Atrial fibrillation",  # Synthea
        "282825002": "Paroxysmal atrial fibrillation",
        "440059007": "Persistent atrial fibrillation",
        "706923002": "Longstanding persistent atrial fibrillation",
        "440028005": "Permanent atrial fibrillation",
        "426749004": "Chronic atrial fibrillation",
    },
    "chf": {
        "84114007": "Heart failure",
        "88805009": "Chronic congestive heart failure",  # Synthea
        "42343007": "Congestive heart failure",
        "10633002": "Acute congestive heart failure",
        "48447003": "Chronic heart failure",
        "85232009": "Left heart failure",
        "703272007": "Heart failure with reduced ejection fraction",
        "446221000": "Heart failure with normal ejection fraction",
        "134401001": "Left ventricular systolic dysfunction",
        "233873004": "Hypertrophic cardiomyopathy",
    },
    "hypertension": {
        "38341003": "Hypertensive disorder",  # Synthea
        "59621000": "Essential hypertension",  # Synthea (newer releases)
        "1201005": "Benign essential hypertension",
        "78975002": "Malignant essential hypertension",
        "10725009": "Benign hypertension",
        "31992008": "Secondary hypertension",
    },
    "diabetes": {
        "73211009": "Diabetes mellitus",
        "44054006": "Type 2 diabetes mellitus",  # Synthea
        "46635009": "Type 1 diabetes mellitus",
        # Complications that state the diabetes (Synthea's diabetes module records these).
        "127013003": "Disorder of kidney due to diabetes mellitus",
        "90781000119102": "Microalbuminuria due to type 2 diabetes mellitus",
        "157141000119108": "Proteinuria due to type 2 diabetes mellitus",
        "368581000119106": "Neuropathy due to type 2 diabetes mellitus",
        "422034002": "Retinopathy due to type 2 diabetes mellitus",
        "1551000119108": "Nonproliferative retinopathy due to type 2 diabetes mellitus",
    },
    "stroke": {
        "230690007": "Cerebrovascular accident",  # Synthea
        "422504002": "Ischemic stroke",
        "432504007": "Cerebral infarction",
        "266257000": "Transient ischemic attack",
        "161511000": "History of transient ischemic attack",
        "371039008": "Thromboembolic disorder",
    },
    "vascular": {
        "22298006": "Myocardial infarction",  # Synthea
        "57054005": "Acute myocardial infarction",
        "401303003": "Acute ST segment elevation myocardial infarction",  # Synthea
        "401314000": "Acute non-ST segment elevation myocardial infarction",  # Synthea
        "399211009": "History of myocardial infarction",  # Synthea
        "1755008": "Old myocardial infarction",
        "53741008": "Coronary arteriosclerosis",  # Synthea ("Coronary Heart Disease")
        "399957001": "Peripheral arterial occlusive disease",
        "840580004": "Peripheral arterial disease",
        "400047006": "Peripheral vascular disease",
    },
    # Not a criterion: where a NOAC is not the choice (mechanical valve, moderate-severe mitral stenosis).
    "valve": {
        "79619009": "Mitral valve stenosis",
    },
}

# criterion -> ICD-10 prefixes without the dot.
ICD10_PREFIXES = {
    "af": ("I48",),  # atrial fibrillation and flutter
    "chf": ("I50", "I110", "I130", "I132", "I421", "I422"),
    "hypertension": ("I10", "I11", "I12", "I13", "I15", "I16"),
    "diabetes": ("E10", "E11", "E12", "E13", "E14"),
    "stroke": ("I63", "I64", "G450", "G451", "G452", "G453", "G458", "G459", "I693", "I694", "I74", "Z8673"),
    "vascular": ("I21", "I22", "I251", "I252", "I700", "I702", "I739"),
    "valve": ("I050", "I052", "I342", "Z952"),
}

# Coronary artery disease counts only when angiographically significant (2020 ESC); a code cannot
# say so, so these are counted and flagged for the clinician to confirm.
CAD_SNOMED = {"53741008"}
CAD_ICD10 = ("I251",)


def is_icd10(system):
    s = (system or "").lower()
    return "icd-10" in s or "icd10" in s or s in ICD10_OIDS


def normalise_icd10(code):
    return code.strip().upper().replace(".", "")


def criteria_of(coding):
    """The criteria (keys of SNOMED_CODES) one FHIR Coding names, and whether it is a CAD code."""
    system, code = coding.get("system"), coding.get("code")
    if not isinstance(code, str) or not isinstance(system, str):
        return set(), False
    if system == SNOMED:
        found = {c for c, codes in SNOMED_CODES.items() if code.strip() in codes}
        return found, code.strip() in CAD_SNOMED
    if is_icd10(system):
        n = normalise_icd10(code)
        found = {c for c, prefixes in ICD10_PREFIXES.items() if n.startswith(prefixes)}
        return found, n.startswith(CAD_ICD10)
    return set(), False
