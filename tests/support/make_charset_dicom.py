#!/usr/bin/python3
"""Writes one small CT image per DICOM character set, its patient name and descriptions encoded by
pydicom (an encoder independent of the code under test), and prints a JSON list of what each file
must read as. Also writes files whose text cannot be decoded as declared (the "bad" cases).

usage: make_charset_dicom.py OUT_DIR > expected.json
Run with Debian's /usr/bin/python3 (python3-pydicom, python3-numpy)."""
import json
import sys

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

# (Specific Character Set, patient name, study description, series description)
CASES = [
    ("ISO_IR 100", "Buc^Jérôme", "Thorax met contrast", "Axiaal 1,0 mm"),
    ("ISO_IR 100", "Hoëvenaars^Ingrid", "Longen, controle", "Überblick"),
    ("ISO_IR 101", "Dvořák^Zdeněk", "Hrudník", "Řezy"),
    ("ISO_IR 109", "Borg^Ġużeppi", "Ċirkulazzjoni", "Ħolqien"),
    ("ISO_IR 110", "Ķēniņš^Ģirts", "Krūtis", "Šķērsgriezums"),
    ("ISO_IR 144", "Иванов^Пётр", "Грудная клетка", "Аксиальные срезы"),
    ("ISO_IR 127", "قباني^نزار", "صدر", "محوري"),
    ("ISO_IR 126", "Παπαδόπουλος^Νίκος", "Θώρακας", "Αξονικές τομές"),
    ("ISO_IR 138", "שרון^דבורה", "חזה", "צירי"),
    ("ISO_IR 148", "Çelik^Şükrü", "Göğüs", "Aksiyel kesitler"),
    ("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "ｷｮｳﾌﾞ", "ｼﾞｸ"),
    ("ISO_IR 166", "ประเสริฐ^สมชาย", "ทรวงอก", "แนวแกน"),
    (["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎=やまだ^たろう", "胸部", "体軸断"),
    (["ISO 2022 IR 13", "ISO 2022 IR 87"], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", "ｷｮｳﾌﾞ", "ｼﾞｸ"),
    (["", "ISO 2022 IR 87", "ISO 2022 IR 159"], "Mori^Ougai=森^鷗外=もり^おうがい", "胸部", "体軸断"),
    (["", "ISO 2022 IR 149"], "Hong^Gildong=洪^吉洞=홍^길동", "흉부", "축상"),
    ("ISO_IR 192", "Nguyễn^Thị Minh Khai", "Ngực", "Trục"),
    ("ISO_IR 192", "Ødegård^Åse=奥^阿瑟", "Brystkasse 胸部", "Aksial"),
    ("GB18030", "Wang^XiaoDong=王^小东", "胸部", "轴位"),
    ("GBK", "Li^Hua=李^华", "胸部", "轴位"),
]

# Written as bytes: this pydicom leaves out the escape sequence ISO 2022 IR 58 needs (PS3.5 K.2).
GB = lambda s: b"\x1b$)A" + s.encode("gb2312")
RAW_CASES = [
    (["", "ISO 2022 IR 58"], b"Zhang^SanFeng=" + GB("张") + b"^" + GB("三丰"), "Zhang^SanFeng=张^三丰",
     GB("胸部"), "胸部", GB("轴位"), "轴位"),
]

# Text that is not valid in the set it declares: raw bytes, written as they are.
BAD = [
    ("ISO_IR 192", b"M\xfcller^Hans", "BAD-UTF8"),         # Latin-1 bytes under a UTF-8 label
    ("", b"Ho\xebvenaars^Ingrid", "BAD-NOCHARSET"),        # no label, Latin-1 bytes
    ("ISO_IR 999", b"Caf\xe9^Ren\xe9", "BAD-UNKNOWN"),     # a set nobody knows
    ("GB18030", b"Wang^\x81", "BAD-GB18030"),              # a lead byte with nothing after it
]


def image(out, pid, charset, name_value, study, series):
    ds = Dataset()
    fm = FileMetaDataset()
    fm.MediaStorageSOPClassUID = CTImageStorage
    fm.MediaStorageSOPInstanceUID = generate_uid()
    fm.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = fm
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    if charset != "":
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = fm.MediaStorageSOPInstanceUID
    ds.PatientName = name_value
    ds.PatientID = pid
    ds.PatientSex = "O"
    ds.PatientBirthDate = "19600101"
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.StudyDate = "20240102"
    ds.Modality = "CT"
    ds.StudyDescription = study
    ds.SeriesDescription = series
    ds.Rows = ds.Columns = 4
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelSpacing = [1, 1]
    ds.ImagePositionPatient = [0, 0, 0]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.SliceThickness = 1
    ds.RescaleSlope = 1
    ds.RescaleIntercept = -1024
    ds.PixelData = bytes(32)
    ds.save_as(f"{out}/{pid}.dcm", write_like_original=False)


def main():
    out = sys.argv[1]
    expected = []
    for i, (charset, name, study, series) in enumerate(CASES):
        pid = f"CS-{i:02d}"
        image(out, pid, charset, name, study, series)
        expected.append({"file": f"{pid}.dcm", "patient_id": pid, "charset": charset if isinstance(charset, str) else "\\".join(charset),
                         "patient_name": name, "study_description": study, "series_description": series, "valid": True})
    for charset, name_raw, name, study_raw, study, series_raw, series in RAW_CASES:
        pid = f"CS-{len(expected):02d}"
        image(out, pid, charset, name_raw, study_raw, series_raw)
        expected.append({"file": f"{pid}.dcm", "patient_id": pid, "charset": "\\".join(charset),
                         "patient_name": name, "study_description": study, "series_description": series, "valid": True})
    for charset, raw, pid in BAD:
        # pydicom would re-encode a str: hand it bytes so the file holds exactly these.
        image(out, pid, charset, raw, "Thorax", "Axial")
        expected.append({"file": f"{pid}.dcm", "patient_id": pid, "charset": charset, "raw_name_hex": raw.hex(), "valid": False})
    json.dump(expected, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
