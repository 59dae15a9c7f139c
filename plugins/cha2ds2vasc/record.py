"""Reads what the score needs from the patient context (a FHIR R4 Bundle): birth date, sex, the
coded conditions per criterion, and the date the age is taken at."""

import datetime
import re

import codes

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Where a resource dates itself; "...Period" values are objects with start/end.
_DATE_FIELDS = ("effectiveDateTime", "effectiveInstant", "issued", "onsetDateTime", "recordedDate",
                "abatementDateTime", "authoredOn", "performedDateTime", "occurrenceDateTime", "started",
                "date", "dateAsserted")
_PERIOD_FIELDS = ("effectivePeriod", "onsetPeriod", "performedPeriod", "period")
_NOT_HELD = {"refuted", "entered-in-error"}


class MalformedContext(Exception):
    """The context is not a patient Bundle this plugin can read; the run must fail."""


class Finding:
    """One recorded condition that meets a criterion."""

    def __init__(self, fhir_id, display, code_text, date, status, cad=False):
        self.fhir_id = fhir_id      # the Condition's id: the evidence reference
        self.display = display      # as recorded, else the display of the code set
        self.code_text = code_text  # "SNOMED 38341003" / "ICD-10 I10"
        self.date = date            # onset (else recorded) date, "YYYY-MM-DD" or shorter, or None
        self.status = status        # clinicalStatus code, or None
        self.cad = cad              # coronary artery disease: count, but ask to confirm

    def sort_key(self):
        return (self.date is None, self.date or "", self.fhir_id or "")


class Record:
    def __init__(self):
        self.birth_date = None  # as recorded, e.g. "1946-01-01" or "1946"
        self.sex = None         # "female", "male", or None when neither is recorded
        self.findings = {}      # criterion -> [Finding], oldest first
        self.reference_date = None  # datetime.date the age is taken at
        self.reference_reason = ""  # why that date, for the rationale


def _full_date(text):
    if isinstance(text, str) and _FULL_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _dates_in(resource):
    for f in _DATE_FIELDS:
        d = _full_date(resource.get(f))
        if d:
            yield d
    for f in _PERIOD_FIELDS:
        p = resource.get(f)
        if isinstance(p, dict):
            for k in ("start", "end"):
                d = _full_date(p.get(k))
                if d:
                    yield d


def _condition_date(r):
    period = r.get("onsetPeriod") if isinstance(r.get("onsetPeriod"), dict) else {}
    for value in (r.get("onsetDateTime"), period.get("start"), r.get("recordedDate")):
        if isinstance(value, str) and _DATE.match(value):
            return value[:10]
    return None


def _code_of(r, field):
    c = r.get(field)
    if isinstance(c, dict) and isinstance(c.get("coding"), list):
        for x in c["coding"]:
            if isinstance(x, dict) and isinstance(x.get("code"), str):
                return x["code"]
    return None


def _add_condition(record, r):
    if _code_of(r, "verificationStatus") in _NOT_HELD:
        return
    concept = r.get("code")
    if not isinstance(concept, dict) or not isinstance(concept.get("coding"), list):
        return
    seen = set()
    for coding in concept["coding"]:
        if not isinstance(coding, dict):
            continue
        found, cad = codes.criteria_of(coding)
        for criterion in found - seen:
            seen.add(criterion)
            code = coding["code"].strip()
            if coding["system"] == codes.SNOMED:
                code_text = "SNOMED CT " + code
                fallback = codes.SNOMED_CODES[criterion].get(code, "")
            else:
                code_text, fallback = "ICD-10 " + code, ""
            texts = (coding.get("display"), concept.get("text"), fallback, code_text)
            display = next(t for t in texts if isinstance(t, str) and t)
            record.findings.setdefault(criterion, []).append(
                Finding(r.get("id"), display, code_text, _condition_date(r), _code_of(r, "clinicalStatus"),
                        cad and criterion == "vascular"))


def read(bundle, today=None):
    """The Record of a context Bundle; MalformedContext when it is not one."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise MalformedContext("the context is not a FHIR Bundle")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise MalformedContext("Bundle.entry is not a list")
    record, patient, newest = Record(), None, None
    for i, e in enumerate(entries):
        r = e.get("resource") if isinstance(e, dict) else None
        if not isinstance(r, dict):
            raise MalformedContext("Bundle.entry[%d] has no resource object" % i)
        kind = r.get("resourceType")
        if kind == "Patient":
            if patient is None:
                patient = r
            continue
        for d in _dates_in(r):
            newest = d if newest is None or d > newest else newest
        if kind == "Condition":
            _add_condition(record, r)
    if patient is None:
        raise MalformedContext("the Bundle holds no Patient resource")
    birth = patient.get("birthDate")
    if birth is not None and (not isinstance(birth, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", birth)):
        raise MalformedContext("Patient.birthDate %r is not a FHIR date" % (birth,))
    record.birth_date = birth
    gender = patient.get("gender")
    record.sex = gender if gender in ("female", "male") else None
    for found in record.findings.values():
        found.sort(key=Finding.sort_key)
    # The newest dated entry, so that the same record always gives the same score; today only for a
    # record with no dated entry; never after death.
    death = _full_date(patient.get("deceasedDateTime"))
    if death and (newest is None or death < newest):
        record.reference_date, record.reference_reason = death, "the date of death"
    elif newest is None:
        record.reference_date = today or datetime.datetime.now(datetime.timezone.utc).date()
        record.reference_reason = "today: the record holds no dated entry"
    else:
        record.reference_date, record.reference_reason = newest, "the date of the newest entry in the record"
    return record
