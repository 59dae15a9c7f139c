"""The plugin's own check of its intended use: adults (18 years and over), so that it declines a
child even under a host that does not enforce the manifest's model.population. The age is taken on
today's date in UTC, as the host does (not at the record's newest entry, which the score uses)."""

import datetime
import re

MINIMUM_AGE = 18
_RUN_TAG = ("urn:consilium:plugin-run", "outside-intended-use")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def today_utc():
    return datetime.datetime.now(datetime.timezone.utc).date()


def clinicians_override(bundle):
    """The host's reason when a clinician asked for the run outside the intended use, else ""."""
    for tag in ((bundle.get("meta") or {}).get("tag") or []) if isinstance(bundle, dict) else []:
        if isinstance(tag, dict) and (tag.get("system"), tag.get("code")) == _RUN_TAG:
            return tag.get("display") or "outside intended use"
    return ""


def _age_range(birth, today):
    """Youngest and oldest age on `today` for a FHIR birthDate (a partial date spans its days)."""
    m = _DATE.match(birth or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)

    def years(mo, d):
        return today.year - year - (1 if (today.month, today.day) < (mo, d) else 0)

    if day:
        youngest = oldest = years(int(month), int(day))
    elif month:
        youngest, oldest = years(int(month), 31), years(int(month), 1)
    else:
        youngest, oldest = years(12, 31), years(1, 1)
    if oldest < 0:
        return None
    return max(youngest, 0), oldest


def why_not_applicable(bundle, today=None):
    """"" when CHA2DS2-VASc applies to the Bundle's patient on `today`, else why not."""
    today = today or today_utc()
    patient = next((e.get("resource") for e in (bundle.get("entry") or [])
                    if isinstance(e, dict) and isinstance(e.get("resource"), dict)
                    and e["resource"].get("resourceType") == "Patient"), None) if isinstance(bundle, dict) else None
    birth = patient.get("birthDate") if isinstance(patient, dict) else None
    age = _age_range(birth, today) if isinstance(birth, str) else None
    if age is None:
        return ("outside intended use: age unknown (%s); CHA2DS2-VASc is for adults aged %d and over"
                % ("birth date '%s' unreadable" % birth if birth else "no birth date recorded", MINIMUM_AGE))
    if age[1] < MINIMUM_AGE:
        return ("outside intended use: age %d years is below the minimum %d (CHA2DS2-VASc is for adults)"
                % (age[1], MINIMUM_AGE))
    if age[0] < MINIMUM_AGE:
        return ("outside intended use: age uncertain (%d or %d years from the partial birth date %s); "
                "CHA2DS2-VASc is for adults aged %d and over" % (age[0], age[1], birth, MINIMUM_AGE))
    return ""
