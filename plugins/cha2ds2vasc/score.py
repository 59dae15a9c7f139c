"""CHA2DS2-VASc as published (Lip et al. 2010; 2020 ESC AF guideline), without any I/O.

Every criterion gets a range of points (lo, hi): a single value when the record decides it, a range
when an input is missing, so that the total is a lower bound and never a guess.
"""

import calendar
import datetime

# (key, letter, label, points) in the order of the acronym; age is one row with 0/1/2 points.
CRITERIA = (
    ("chf", "C", "congestive heart failure / LV dysfunction", 1),
    ("hypertension", "H", "hypertension", 1),
    ("age", "A2/A", "age (65-74: 1, 75 or over: 2)", 2),
    ("diabetes", "D", "diabetes mellitus", 1),
    ("stroke", "S2", "stroke / TIA / thromboembolism", 2),
    ("vascular", "V", "vascular disease (prior MI, PAD, aortic plaque)", 1),
    ("sex", "Sc", "sex category: female", 1),
)
MAXIMUM = 9


def age_points(age):
    return 2 if age >= 75 else 1 if age >= 65 else 0


def age_on(birth, day):
    """Completed years from `birth` to `day` (datetime.date)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_range(birth_date, day):
    """(youngest, oldest) possible age on `day` for a FHIR date that may lack month or day."""
    parts = [int(p) for p in birth_date.split("-")]
    year = parts[0]
    first_month, last_month = (parts[1], parts[1]) if len(parts) > 1 else (1, 12)
    if len(parts) > 2:
        earliest = latest = datetime.date(year, parts[1], parts[2])
    else:
        earliest = datetime.date(year, first_month, 1)
        latest = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return age_on(latest, day), age_on(earliest, day)


def band_of(points_without_sex):
    """The band from every point but the sex category's. The 2020 ESC thresholds for women are one
    point above those for men (low 0/1, moderate 1/2, high >=2/>=3), so without the sex point the
    band is the same for both: 0 low, 1 moderate, 2 or more high."""
    return "low" if points_without_sex == 0 else "moderate" if points_without_sex == 1 else "high"


class Result:
    def __init__(self, points):
        self.points = points  # key -> (lo, hi)
        self.lower = sum(lo for lo, _ in points.values())
        self.upper = sum(hi for _, hi in points.values())
        self.complete = self.lower == self.upper
        lo_ns = self.lower - points["sex"][0]
        hi_ns = self.upper - points["sex"][1]
        # The band is given only when every possible value of the missing inputs gives the same one.
        self.band = band_of(lo_ns) if band_of(lo_ns) == band_of(hi_ns) else None

    @property
    def missing(self):
        return [k for k, (lo, hi) in self.points.items() if lo != hi]


def score(present, age=None, sex=None):
    """`present`: the criterion keys found in the record (chf, hypertension, diabetes, stroke,
    vascular); `age`: (youngest, oldest) or None when unknown; `sex`: "female", "male" or None."""
    points = {}
    for key, _, _, weight in CRITERIA:
        if key == "age":
            points[key] = (age_points(age[0]), age_points(age[1])) if age else (0, 2)
        elif key == "sex":
            points[key] = {"female": (1, 1), "male": (0, 0)}.get(sex, (0, 1))
        else:
            points[key] = (weight, weight) if key in present else (0, 0)
    return Result(points)
