"""The two suggestions (risk, treatment) for a scored record, in words a clinician can check."""

import score as sc

REFERENCE = ("Hindricks G, Potpara T, Dagres N, et al. 2020 ESC Guidelines for the diagnosis and management "
             "of atrial fibrillation developed in collaboration with the European Association for "
             "Cardio-Thoracic Surgery (EACTS). Eur Heart J 2021;42:373-498.")
REFERENCE_URL = "https://doi.org/10.1093/eurheartj/ehaa612"
SHORT = {"chf": "heart failure", "hypertension": "hypertension", "diabetes": "diabetes",
         "stroke": "stroke/TIA/thromboembolism", "vascular": "vascular disease"}
THRESHOLDS = {"female": "for a woman: low 1, moderate 2, high 3 or more",
              "male": "for a man: low 0, moderate 1, high 2 or more"}


def _clip(text, n=90):
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _finding_text(found):
    f = found[0]
    text = "%s (%s)" % (_clip(f.display), f.code_text)
    text += ", onset %s" % f.date if f.date else ", date not recorded"
    if f.status and f.status != "active":
        text += ", clinical status %s" % f.status
    if f.cad:
        text += "; coronary artery disease counts when angiographically significant: confirm"
    if len(found) > 1:
        text += "; %d more record%s" % (len(found) - 1, "s" if len(found) > 2 else "")
    return text


def _age_text(record, age, pts):
    on = "%s (%s)" % (record.reference_date.isoformat(), record.reference_reason)
    if age is None:
        return "no birth date recorded; counted as 0 (lower bound)"
    if pts[0] != pts[1]:
        return ("birth date recorded only as %s: %d to %d years on %s; counted as %d (lower bound)"
                % (record.birth_date, age[0], age[1], on, pts[0]))
    years = "%d" % age[0] if age[0] == age[1] else "%d-%d" % age
    return "%s years on %s, born %s" % (years, on, record.birth_date)


def _missing_words(record, result):
    words = []
    if "age" in result.missing:
        words.append("full birth date" if record.birth_date else "birth date")
    if "sex" in result.missing:
        words.append("sex")
    return " and ".join(words)


def _score_text(result):
    return "%d" % result.lower if result.complete else "\u2265 %d" % result.lower


def risk(record, result, age, af):
    lines = ["CHA2DS2-VASc for atrial fibrillation: %s. Criteria as coded in the record:" % _finding_text(af)]
    for key, letter, label, _ in sc.CRITERIA:
        lo, hi = result.points[key]
        pts = "%d" % lo if lo == hi else "%d-%d" % (lo, hi)
        if key == "age":
            why = _age_text(record, age, (lo, hi))
        elif key == "sex":
            why = ("recorded sex %s" % record.sex if record.sex
                   else "sex not recorded as female or male; counted as 0 (lower bound)")
        else:
            why = _finding_text(record.findings[key]) if key in record.findings else "not coded in the record"
        lines.append("- %s %s: %s - %s" % (letter, label, pts, why))
    if result.complete:
        lines.append("Total %d of %d: %s (%s)." % (result.lower, sc.MAXIMUM, result.band, THRESHOLDS[record.sex]))
    else:
        lines.append("Total at least %d, up to %d with the missing %s: a lower bound."
                     % (result.lower, result.upper, _missing_words(record, result)))
        if result.band:
            lines.append("Band %s whatever the missing input adds%s." % (result.band, (
                " (for sex: the thresholds for women are one point above those for men, which is the sex point "
                "itself)") if "sex" in result.missing else ""))
        else:
            lines.append("The band depends on the missing input; record it for a band and a treatment suggestion.")
    present = []
    for key, _, _, _ in sc.CRITERIA:
        lo, hi = result.points[key]
        if key in SHORT and key in record.findings:
            present.append(SHORT[key])
        elif key == "age" and lo == hi and lo:
            present.append("age 75+" if lo == 2 else "age 65-74")
        elif key == "sex" and record.sex == "female":
            present.append("female")
    if result.complete:
        summary = "CHA2DS2-VASc %d (%s): %s" % (result.lower, result.band, ", ".join(present) or "no risk factor recorded")
    else:
        summary = "CHA2DS2-VASc \u2265 %d (%s), lower bound: %s not recorded" % (
            result.lower, result.band or "band undetermined", _missing_words(record, result))
    return {"kind": "risk", "code": {"display": "CHA2DS2-VASc stroke risk score in atrial fibrillation"},
            "confidence": None, "score": result.lower, "band": result.band, "complete": result.complete,
            "summary": _clip(summary, 140), "rationale": "\n".join(lines)}


def treatment(record, result):
    """None when the band is undetermined (a recommendation would be a guess)."""
    if result.band is None:
        return None
    score_words = "CHA2DS2-VASc %s, band %s" % (_score_text(result), result.band)
    if result.band == "high":
        summary = "Oral anticoagulation recommended (ESC 2020, class I); a NOAC in preference to a VKA"
        text = ("%s. 2020 ESC: oral anticoagulation (OAC) is recommended for stroke prevention in AF with a score "
                "of 2 or more in men, 3 or more in women (class I, level A)." % score_words)
    elif result.band == "moderate":
        summary = "Oral anticoagulation should be considered (ESC 2020, class IIa), weighing bleeding risk"
        text = ("%s. 2020 ESC: OAC should be considered for stroke prevention in AF with a score of 1 in men, 2 in "
                "women (class IIa, level B), individualised on the net clinical benefit and the patient's values "
                "and preferences." % score_words)
    else:
        summary = "No antithrombotic therapy for stroke prevention (ESC 2020: low stroke risk)"
        text = ("%s. 2020 ESC: patients at low risk (score 0 in men, 1 in women) are offered no antithrombotic "
                "therapy for stroke prevention; antiplatelet therapy alone is not recommended for stroke "
                "prevention in AF (class III). Re-evaluate the stroke risk at follow-up: age and new diagnoses "
                "change it." % score_words)
    if result.band != "low":
        text += (" When OAC is chosen, NOACs are recommended in preference to VKAs except with a mechanical heart "
                 "valve or moderate-to-severe mitral stenosis (class I, level A). Assess bleeding risk with a "
                 "structured score (e.g. HAS-BLED) to address modifiable factors; an estimated bleeding risk alone "
                 "should not decide against OAC. Antiplatelet therapy alone is not recommended for stroke "
                 "prevention in AF (class III).")
        if "valve" in record.findings:
            text += (" The record holds %s: if this is a mechanical valve or moderate-to-severe mitral stenosis, "
                     "a VKA, not a NOAC, is the option." % _finding_text(record.findings["valve"]))
    if not result.complete:
        text += (" The score is a lower bound (%s not recorded), but the band, and so this recommendation, is the "
                 "same whatever the missing input adds." % _missing_words(record, result))
    return {"kind": "treatment", "code": {"display": "Stroke prevention in atrial fibrillation"},
            "confidence": None, "complete": result.complete, "summary": summary, "rationale": text}


def evidence(record, af):
    """Observation refs to every condition behind a point (and the AF), then the guideline."""
    refs = []
    for key in ["af"] + [k for k, _, _, _ in sc.CRITERIA] + ["valve"]:
        found = af if key == "af" else record.findings.get(key, [])
        for f in found:
            if f.fhir_id and f.fhir_id not in refs:
                refs.append(f.fhir_id)
    items = [{"type": "observation", "ref": r} for r in refs]
    items.append({"type": "reference", "text": REFERENCE, "url": REFERENCE_URL})
    return items
