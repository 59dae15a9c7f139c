#include "consilium/viewer/ct_phantom.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <vector>

namespace consilium::viewer {
namespace {

// Consilium's own UID root would go here once registered; until then UIDs are made under DCMTK's
// site root, which is unique per generated object.
std::string new_uid(const char* root) {
    char uid[100];
    dcmGenerateUniqueIdentifier(uid, root);
    return uid;
}

// Hounsfield units of the phantom at (x, y) mm from the centre, slice z mm.
int phantom_hu(double x, double y, double z) {
    const double body = (x * x) / (170.0 * 170.0) + (y * y) / (120.0 * 120.0);
    if (body > 1.0) return -1000;
    // Solid nodules in the lungs (x, y, z and diameter in mm; patient right is -x), for the
    // lung-nodule plugin to find in the demo CT.
    static const double nodules[][4] = {{-95, -30, 110, 14}, {70, 25, 190, 9}, {-65, 35, 230, 7}};
    for (const auto& n : nodules) {
        const double dx = x - n[0], dy = y - n[1], dz = z - n[2];
        if (dx * dx + dy * dy + dz * dz < n[3] * n[3] / 4) return 50;
    }
    for (double side : {-1.0, 1.0}) {
        const double lx = x - side * 80.0, ly = y + 5.0;
        if ((lx * lx) / (55.0 * 55.0) + (ly * ly) / (85.0 * 85.0) < 1.0) return -800;
    }
    const double sx = x, sy = y - 75.0;
    if (sx * sx + sy * sy < 18.0 * 18.0) return 1000;                       // vertebra (posterior)
    const double ring = std::sqrt(body);
    if (ring > 0.86 && ring < 0.9 && std::fmod(z, 25.0) < 8.0) return 700;  // ribs
    return 40;
}

}  // namespace

std::string write_ct_phantom(const std::filesystem::path& dir, const PhantomOptions& o) {
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    std::filesystem::create_directories(dir);
    std::mt19937 rng(o.seed);
    std::normal_distribution<double> noise(0.0, 15.0);
    const std::string study = new_uid(SITE_STUDY_UID_ROOT), series = new_uid(SITE_SERIES_UID_ROOT),
                      frame = new_uid(SITE_INSTANCE_UID_ROOT);
    const int n = o.size;
    const double half = (n - 1) * o.pixel_mm / 2;
    char position_x[64];
    std::snprintf(position_x, sizeof position_x, "%.4f\\%.4f\\", -half, -half);
    char spacing[64];
    std::snprintf(spacing, sizeof spacing, "%.4f\\%.4f", o.pixel_mm, o.pixel_mm);
    std::vector<Uint16> pixels(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
    for (int k = 0; k < o.slices; ++k) {
        const double z = k * o.slice_mm;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                // LPS: x grows to the patient's left (image columns), y to posterior (image rows).
                double hu = phantom_hu(i * o.pixel_mm - half, j * o.pixel_mm - half, z) + noise(rng);
                pixels[static_cast<std::size_t>(j) * n + i] = static_cast<Uint16>(std::clamp(hu + 1024.0, 0.0, 4095.0));
            }
        DcmFileFormat ff;
        DcmDataset* ds = ff.getDataset();
        ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
        ds->putAndInsertString(DCM_SOPInstanceUID, new_uid(SITE_INSTANCE_UID_ROOT).c_str());
        ds->putAndInsertString(DCM_StudyInstanceUID, study.c_str());
        ds->putAndInsertString(DCM_SeriesInstanceUID, series.c_str());
        ds->putAndInsertString(DCM_FrameOfReferenceUID, frame.c_str());
        ds->putAndInsertString(DCM_Modality, "CT");
        ds->putAndInsertString(DCM_Manufacturer, "Consilium phantom generator");
        ds->putAndInsertString(DCM_PatientName, o.patient_name.c_str());
        ds->putAndInsertString(DCM_PatientID, o.patient_id.c_str());
        if (!o.patient_birth_date.empty()) ds->putAndInsertString(DCM_PatientBirthDate, o.patient_birth_date.c_str());
        if (!o.patient_sex.empty()) ds->putAndInsertString(DCM_PatientSex, o.patient_sex.c_str());
        ds->putAndInsertString(DCM_StudyDate, o.study_date.c_str());
        ds->putAndInsertString(DCM_StudyDescription, o.study_description.c_str());
        ds->putAndInsertString(DCM_SeriesDescription, "Phantom 1 mm");
        ds->putAndInsertString(DCM_SeriesNumber, "2");
        ds->putAndInsertString(DCM_InstanceNumber, std::to_string(k + 1).c_str());
        ds->putAndInsertString(DCM_ImagePositionPatient, (std::string(position_x) + std::to_string(z)).c_str());
        ds->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
        ds->putAndInsertString(DCM_PixelSpacing, spacing);
        ds->putAndInsertString(DCM_SliceThickness, std::to_string(o.slice_mm).c_str());
        ds->putAndInsertString(DCM_RescaleIntercept, "-1024");
        ds->putAndInsertString(DCM_RescaleSlope, "1");
        ds->putAndInsertString(DCM_WindowCenter, "40");
        ds->putAndInsertString(DCM_WindowWidth, "400");
        ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
        ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(n));
        ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(n));
        ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
        ds->putAndInsertUint16(DCM_BitsAllocated, 16);
        ds->putAndInsertUint16(DCM_BitsStored, 12);
        ds->putAndInsertUint16(DCM_HighBit, 11);
        ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
        ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
        char name[32];
        std::snprintf(name, sizeof name, "CT%04d.dcm", k + 1);
        if (ff.saveFile((dir / name).c_str(), EXS_LittleEndianImplicit).bad())
            throw std::runtime_error((dir / name).string() + ": cannot write the phantom slice");
    }
    return series;
}

}  // namespace consilium::viewer
