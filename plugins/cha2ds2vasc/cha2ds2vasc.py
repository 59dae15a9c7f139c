#!/usr/bin/env python3
"""Consilium command plugin: CHA2DS2-VASc stroke risk and the 2020 ESC anticoagulation option for a
patient with atrial fibrillation.

A patient outside its intended use (under 18; intended_use.py) is declined: suggestions.json holds
no suggestion and "declined" with the reason, unless the host says a clinician asked for the run
anyway (Bundle meta.tag urn:consilium:plugin-run|outside-intended-use).

Run by the host as `python3 cha2ds2vasc.py --input DIR --output DIR`: reads DIR/context.json (the
patient as a FHIR R4 Bundle), writes suggestions.json into the output folder. A record without
atrial fibrillation gets no suggestion (an empty list) and a note on stderr. Exit 2 when the
arguments or the context are malformed, 1 when the files cannot be read or written.
"""

import argparse
import json
import os
import sys

import advice
import intended_use
import record as rec
import score as sc


def suggestions_for(bundle, today=None):
    """The suggestions for a context Bundle (a list, empty without AF), and a note for the log."""
    r = rec.read(bundle, today)
    af = r.findings.get("af")
    if not af:
        return [], ("no atrial fibrillation coded in the record (SNOMED CT 49436004 and its subtypes, ICD-10 I48): "
                    "CHA2DS2-VASc does not apply; no suggestion")
    age = sc.age_range(r.birth_date, r.reference_date) if r.birth_date else None
    if age and age[1] < 0:
        raise rec.MalformedContext("Patient.birthDate %s is after %s" % (r.birth_date, r.reference_date))
    if age and age[0] < 0:
        age = (0, age[1])
    present = {k for k in ("chf", "hypertension", "diabetes", "stroke", "vascular") if k in r.findings}
    result = sc.score(present, age, r.sex)
    ev = advice.evidence(r, af)
    risk = advice.risk(r, result, age, af)
    risk["evidence"] = ev
    out = [risk]
    treatment = advice.treatment(r, result)
    note = "CHA2DS2-VASc %s%d, band %s" % ("" if result.complete else ">= ", result.lower, result.band or "undetermined")
    if treatment:
        treatment["evidence"] = ev
        out.append(treatment)
    else:
        note += "; no treatment suggestion: the band depends on the missing " + " and ".join(result.missing)
    return out, note


def main(argv):
    parser = argparse.ArgumentParser(description="CHA2DS2-VASc command plugin for Consilium")
    parser.add_argument("--input", required=True, help="folder holding context.json")
    parser.add_argument("--output", required=True, help="folder to write suggestions.json into")
    args = parser.parse_args(argv)  # exits 2 with a message on bad usage

    path = os.path.join(args.input, "context.json")
    try:
        with open(path, encoding="utf-8") as f:
            bundle = json.load(f)
        print("PROGRESS 0.3", file=sys.stderr, flush=True)
        rec.read(bundle)  # a malformed context fails the run before anything else is said about it
        declined = "" if intended_use.clinicians_override(bundle) else intended_use.why_not_applicable(bundle)
        suggestions, note = ([], "declined: " + declined) if declined else suggestions_for(bundle)
    except OSError as e:
        print("cha2ds2vasc: cannot read %s: %s" % (path, e.strerror or e), file=sys.stderr)
        return 1
    except (ValueError, rec.MalformedContext) as e:  # json.JSONDecodeError is a ValueError
        print("cha2ds2vasc: malformed context %s: %s" % (path, e), file=sys.stderr)
        return 2
    print("cha2ds2vasc: " + note, file=sys.stderr, flush=True)

    target = os.path.join(args.output, "suggestions.json")
    try:
        with open(target + ".tmp", "w", encoding="utf-8") as f:
            out = {"suggestions": suggestions}
            if declined:
                out["declined"] = declined  # the host records the run as refused, not failed
            json.dump(out, f, ensure_ascii=False, indent=1)
        os.replace(target + ".tmp", target)
    except OSError as e:
        print("cha2ds2vasc: cannot write %s: %s" % (target, e.strerror or e), file=sys.stderr)
        return 1
    print("PROGRESS 1", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
