"""Published CHA2DS2-VASc cases through the whole plugin (Bundle in, suggestions out).
Run: python3 -B -m unittest test_cha2ds2vasc (from this folder; CTest does)."""

import contextlib
import io
import json
import os
import tempfile
import unittest

import datetime

import cha2ds2vasc
import intended_use
import record
import score

SCT = "http://snomed.info/sct"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
CODES = {"af": "49436004", "chf": "88805009", "hypertension": "38341003", "diabetes": "44054006",
         "stroke": "230690007", "vascular": "22298006"}
NEWEST = "2024-06-15"  # the newest entry of every test record: ages are taken on this day


def condition(cid, code, system=SCT, onset="2010-01-01", verification=None):
    r = {"resourceType": "Condition", "id": cid, "code": {"coding": [{"system": system, "code": code}]},
         "onsetDateTime": onset}
    if verification:
        r["verificationStatus"] = {"coding": [{"code": verification}]}
    return r


def bundle(birth="1970-01-01", sex="male", conditions=("af",), extra=()):
    patient = {"resourceType": "Patient", "id": "p"}
    if birth:
        patient["birthDate"] = birth
    if sex:
        patient["gender"] = sex
    resources = [patient] + [condition(c, CODES[c]) for c in conditions] + list(extra)
    resources.append({"resourceType": "Encounter", "id": "last", "period": {"start": NEWEST + "T09:00:00Z"}})
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def run(b):
    suggestions, _ = cha2ds2vasc.suggestions_for(b)
    by_kind = {s["kind"]: s for s in suggestions}
    return by_kind.get("risk"), by_kind.get("treatment")


class Criteria(unittest.TestCase):
    def test_each_criterion_alone_in_a_man_of_50(self):
        for key, points in (("chf", 1), ("hypertension", 1), ("diabetes", 1), ("stroke", 2), ("vascular", 1)):
            with self.subTest(key):
                risk, _ = run(bundle(birth="1974-01-01", conditions=("af", key)))
                self.assertEqual(risk["score"], points)
                self.assertTrue(risk["complete"])
                self.assertIn(key, [e["ref"] for e in risk["evidence"] if e["type"] == "observation"])

    def test_age_boundaries(self):
        for birth, points in (("1959-06-16", 0), ("1959-06-15", 1), ("1949-06-16", 1), ("1949-06-15", 2)):
            with self.subTest(birth):
                self.assertEqual(run(bundle(birth=birth))[0]["score"], points)

    def test_age_is_taken_at_the_newest_entry_or_at_death(self):
        risk, _ = run(bundle(birth="1949-06-15"))
        self.assertIn("75 years on 2024-06-15 (the date of the newest entry", risk["rationale"])
        b = bundle(birth="1949-06-15")
        b["entry"][0]["resource"]["deceasedDateTime"] = "2024-06-14T10:00:00Z"
        risk, _ = run(b)
        self.assertEqual(risk["score"], 1)
        self.assertIn("74 years on 2024-06-14 (the date of death)", risk["rationale"])

    def test_female_sex_alone_is_one_point_and_low(self):
        risk, treatment = run(bundle(sex="female"))
        self.assertEqual((risk["score"], risk["band"]), (1, "low"))
        self.assertIn("No antithrombotic", treatment["summary"])

    def test_the_maximum_is_nine(self):
        risk, treatment = run(bundle(birth="1940-01-01", sex="female", conditions=tuple(CODES)))
        self.assertEqual((risk["score"], risk["band"], risk["complete"]), (9, "high", True))
        self.assertIn("recommended", treatment["summary"])

    def test_bands_follow_the_sex_specific_thresholds(self):
        for sex, conditions, band in (("male", ("af",), "low"), ("male", ("af", "hypertension"), "moderate"),
                                      ("female", ("af", "hypertension"), "moderate"),
                                      ("male", ("af", "stroke"), "high"), ("female", ("af", "stroke"), "high")):
            with self.subTest(sex=sex, conditions=conditions):
                risk, treatment = run(bundle(sex=sex, conditions=conditions))
                self.assertEqual(risk["band"], band)
                self.assertIn({"low": "No antithrombotic", "moderate": "should be considered",
                               "high": "recommended"}[band], treatment["summary"])

    def test_without_atrial_fibrillation_nothing_is_suggested(self):
        suggestions, note = cha2ds2vasc.suggestions_for(bundle(conditions=("hypertension", "stroke")))
        self.assertEqual(suggestions, [])
        self.assertIn("no atrial fibrillation", note)

    def test_icd10_codes_count_and_refuted_conditions_do_not(self):
        extra = [condition("af10", "I48.91", ICD), condition("htn10", "I10", ICD),
                 condition("dm-refuted", "44054006", verification="refuted")]
        risk, _ = run(bundle(conditions=(), extra=extra))
        self.assertEqual(risk["score"], 1)
        refs = [e["ref"] for e in risk["evidence"] if e["type"] == "observation"]
        self.assertEqual(refs, ["af10", "htn10"])
        self.assertEqual(risk["evidence"][-1]["url"], "https://doi.org/10.1093/eurheartj/ehaa612")


class MissingInputs(unittest.TestCase):
    def test_missing_sex_is_a_lower_bound_with_the_band_kept(self):
        risk, treatment = run(bundle(sex=None, conditions=("af", "hypertension")))
        self.assertEqual((risk["score"], risk["band"], risk["complete"]), (1, "moderate", False))
        self.assertIn("sex not recorded", risk["summary"])
        self.assertFalse(treatment["complete"])

    def test_missing_birth_date_leaves_the_band_open(self):
        risk, treatment = run(bundle(birth=None, conditions=("af", "hypertension")))
        self.assertEqual((risk["score"], risk["band"], risk["complete"]), (1, None, False))
        self.assertIn("birth date not recorded", risk["summary"])
        self.assertIsNone(treatment)

    def test_missing_birth_date_with_a_high_band_anyway(self):
        risk, treatment = run(bundle(birth=None, conditions=("af", "stroke")))
        self.assertEqual((risk["score"], risk["band"], risk["complete"]), (2, "high", False))
        self.assertIsNotNone(treatment)

    def test_a_birth_year_alone_counts_only_when_it_decides(self):
        self.assertTrue(run(bundle(birth="1930"))[0]["complete"])
        risk, _ = run(bundle(birth="1949"))  # 74 or 75 on the newest entry's date
        self.assertEqual((risk["score"], risk["complete"]), (1, False))


class Interface(unittest.TestCase):
    def test_malformed_contexts_are_refused(self):
        for bad in ([], {"resourceType": "Patient"}, {"resourceType": "Bundle", "entry": {}},
                    {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Condition"}}]},
                    bundle(birth="15/06/1950")):
            with self.subTest(bad=str(bad)[:60]), self.assertRaises(record.MalformedContext):
                cha2ds2vasc.suggestions_for(bad)

    def test_main_writes_suggestions_json_and_fails_on_garbage(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "in"))
            os.makedirs(os.path.join(d, "out"))
            with open(os.path.join(d, "in", "context.json"), "w") as f:
                json.dump(bundle(birth="1946-01-01", sex="female", conditions=("af", "hypertension")), f)
            log = io.StringIO()
            with contextlib.redirect_stderr(log):
                self.assertEqual(cha2ds2vasc.main(["--input", d + "/in", "--output", d + "/out"]), 0)
            self.assertIn("CHA2DS2-VASc 4, band high", log.getvalue())
            with open(os.path.join(d, "out", "suggestions.json")) as f:
                out = json.load(f)["suggestions"]
            self.assertEqual([(s["kind"], s.get("score")) for s in out], [("risk", 4), ("treatment", None)])  # H1 A2 Sc1
            for s in out:
                self.assertLessEqual(len(s["summary"]), 140)
                self.assertLessEqual(len(s["rationale"]), 4000)
            with open(os.path.join(d, "in", "context.json"), "w") as f:
                f.write("{not json")
            with contextlib.redirect_stderr(log):
                self.assertEqual(cha2ds2vasc.main(["--input", d + "/in", "--output", d + "/out"]), 2)
            self.assertIn("malformed context", log.getvalue())

    def test_age_points(self):
        self.assertEqual([score.age_points(a) for a in (64, 65, 74, 75)], [0, 1, 1, 2])


class IntendedUse(unittest.TestCase):
    TODAY = datetime.date(2026, 12, 6)

    def test_children_and_unknown_ages_are_declined(self):
        why = intended_use.why_not_applicable(bundle(birth="2010-05-01"), self.TODAY)
        self.assertIn("age 16 years is below the minimum 18", why)
        self.assertIn("age unknown (no birth date recorded)", intended_use.why_not_applicable(bundle(birth=None), self.TODAY))
        self.assertIn("age uncertain (17 or 18 years", intended_use.why_not_applicable(bundle(birth="2008"), self.TODAY))

    def test_an_adult_from_the_18th_birthday_on(self):
        self.assertEqual(intended_use.why_not_applicable(bundle(birth="2008-12-06"), self.TODAY), "")
        self.assertIn("age 17", intended_use.why_not_applicable(bundle(birth="2008-12-07"), self.TODAY))
        self.assertEqual(intended_use.why_not_applicable(bundle(birth="1946-01-01"), self.TODAY), "")

    def _main(self, b):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "in"))
            os.makedirs(os.path.join(d, "out"))
            with open(os.path.join(d, "in", "context.json"), "w") as f:
                json.dump(b, f)
            log = io.StringIO()
            with contextlib.redirect_stderr(log):
                code = cha2ds2vasc.main(["--input", d + "/in", "--output", d + "/out"])
            with open(os.path.join(d, "out", "suggestions.json")) as f:
                return code, json.load(f), log.getvalue()

    def test_main_declines_a_child_unless_a_clinician_asked_for_the_run(self):
        child = bundle(birth=str(intended_use.today_utc().year - 9) + "-01-01", conditions=("af", "hypertension"))
        code, out, log = self._main(child)
        self.assertEqual(code, 0)
        self.assertEqual(out["suggestions"], [])
        self.assertIn("below the minimum 18", out["declined"])
        self.assertIn("declined", log)
        child["meta"] = {"tag": [{"system": "urn:consilium:plugin-run", "code": "outside-intended-use",
                                  "display": "outside intended use: age 9 years is below the minimum 18"}]}
        code, out, _ = self._main(child)
        self.assertEqual(code, 0)
        self.assertNotIn("declined", out)
        self.assertEqual([s["kind"] for s in out["suggestions"]], ["risk", "treatment"])


if __name__ == "__main__":
    unittest.main()
