#include "dicom_writer.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace consilium::test::dicom {

std::string new_uid() {
    char buf[100] = {};
    dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
    return buf;
}

std::string ds(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

double ds_value(double v) { return std::strtod(ds(v).c_str(), nullptr); }

namespace {

template <std::size_t N>
std::string multi(const std::array<double, N>& values) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += (i ? "\\" : "") + ds(values[i]);
    return out;
}

void check(const OFCondition& c, const char* what) {
    if (c.bad()) throw std::runtime_error(std::string("writing test DICOM: ") + what + ": " + c.text());
}

}  // namespace

void write_slice(const std::filesystem::path& file, const SliceSpec& s) {
    DcmFileFormat ff;
    DcmDataset& d = *ff.getDataset();
    check(d.putAndInsertString(DCM_SOPClassUID, s.sop_class_uid.c_str()), "SOPClassUID");
    check(d.putAndInsertString(DCM_SOPInstanceUID, new_uid().c_str()), "SOPInstanceUID");
    check(d.putAndInsertString(DCM_StudyInstanceUID, s.study_uid.c_str()), "StudyInstanceUID");
    check(d.putAndInsertString(DCM_SeriesInstanceUID, s.series_uid.c_str()), "SeriesInstanceUID");
    check(d.putAndInsertString(DCM_FrameOfReferenceUID, (s.study_uid + ".1").c_str()), "FrameOfReferenceUID");
    check(d.putAndInsertString(DCM_PatientID, s.patient_id.c_str()), "PatientID");
    check(d.putAndInsertString(DCM_PatientName, s.patient_name.c_str()), "PatientName");
    check(d.putAndInsertString(DCM_Modality, s.modality.c_str()), "Modality");
    check(d.putAndInsertString(DCM_StudyDate, "20240102"), "StudyDate");
    if (s.series_number) check(d.putAndInsertString(DCM_SeriesNumber, std::to_string(*s.series_number).c_str()), "SeriesNumber");
    if (s.instance_number)
        check(d.putAndInsertString(DCM_InstanceNumber, std::to_string(*s.instance_number).c_str()), "InstanceNumber");
    if (s.temporal_position)
        check(d.putAndInsertString(DCM_TemporalPositionIdentifier, std::to_string(*s.temporal_position).c_str()),
              "TemporalPositionIdentifier");
    if (s.gantry_tilt_deg) check(d.putAndInsertString(DCM_GantryDetectorTilt, ds(*s.gantry_tilt_deg).c_str()), "tilt");
    if (s.slice_thickness_mm) check(d.putAndInsertString(DCM_SliceThickness, ds(*s.slice_thickness_mm).c_str()), "thickness");
    check(d.putAndInsertString(DCM_ImagePositionPatient, multi(s.position_lps).c_str()), "ImagePositionPatient");
    check(d.putAndInsertString(DCM_ImageOrientationPatient, multi(s.orientation).c_str()), "ImageOrientationPatient");
    check(d.putAndInsertString(DCM_PixelSpacing, multi(s.pixel_spacing_mm).c_str()), "PixelSpacing");
    check(d.putAndInsertUint16(DCM_SamplesPerPixel, 1), "SamplesPerPixel");
    check(d.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2"), "Photometric");
    check(d.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(s.rows)), "Rows");
    check(d.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(s.columns)), "Columns");
    check(d.putAndInsertUint16(DCM_BitsAllocated, 16), "BitsAllocated");
    check(d.putAndInsertUint16(DCM_BitsStored, 16), "BitsStored");
    check(d.putAndInsertUint16(DCM_HighBit, 15), "HighBit");
    check(d.putAndInsertUint16(DCM_PixelRepresentation, 0), "PixelRepresentation");
    if (s.pixel_data) {
        std::vector<Uint16> pixels(static_cast<std::size_t>(s.rows) * static_cast<std::size_t>(s.columns));
        for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint16>(s.seed + i);
        check(d.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())), "PixelData");
    }
    check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), "saveFile");
}

}  // namespace consilium::test::dicom
