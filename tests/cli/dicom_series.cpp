#include "dicom_series.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <stdexcept>

namespace consilium::test::dicom {
namespace {

void put(DcmDataset& d, const DcmTagKey& tag, const std::string& value) {
    if (d.putAndInsertString(tag, value.c_str()).bad())
        throw std::runtime_error("writing test DICOM: cannot set " + std::string(DcmTag(tag).getTagName()));
}

void put16(DcmDataset& d, const DcmTagKey& tag, int value) {
    if (d.putAndInsertUint16(tag, static_cast<Uint16>(value)).bad())
        throw std::runtime_error("writing test DICOM: cannot set " + std::string(DcmTag(tag).getTagName()));
}

}  // namespace

std::string new_uid() {
    char buf[100] = {};
    dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
    return buf;
}

std::vector<std::filesystem::path> write_series(const std::filesystem::path& folder, SeriesSpec& spec) {
    if (spec.study_uid.empty()) spec.study_uid = new_uid();
    if (spec.series_uid.empty()) spec.series_uid = new_uid();
    std::filesystem::create_directories(folder);
    std::vector<std::filesystem::path> files;
    for (int k = 0; k < spec.slices; ++k) {
        DcmFileFormat ff;
        DcmDataset& d = *ff.getDataset();
        put(d, DCM_SOPClassUID, UID_CTImageStorage);
        put(d, DCM_SOPInstanceUID, new_uid());
        put(d, DCM_StudyInstanceUID, spec.study_uid);
        put(d, DCM_SeriesInstanceUID, spec.series_uid);
        put(d, DCM_FrameOfReferenceUID, spec.study_uid + ".1");
        if (!spec.patient_id.empty()) put(d, DCM_PatientID, spec.patient_id);
        put(d, DCM_PatientName, spec.patient_name);
        put(d, DCM_PatientBirthDate, spec.birth_date);
        put(d, DCM_PatientSex, spec.sex);
        put(d, DCM_StudyDate, spec.study_date);
        put(d, DCM_StudyDescription, spec.study_description);
        put(d, DCM_AccessionNumber, spec.accession);
        put(d, DCM_Modality, spec.modality);
        put(d, DCM_SeriesDescription, spec.series_description);
        put(d, DCM_SeriesNumber, "1");
        put(d, DCM_InstanceNumber, std::to_string(k + 1));
        put(d, DCM_ImagePositionPatient, "-4\\-3\\" + std::to_string(k));
        put(d, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
        put(d, DCM_PixelSpacing, "0.5\\0.5");
        put(d, DCM_SliceThickness, "1");
        put(d, DCM_RescaleIntercept, "-1024");
        put(d, DCM_RescaleSlope, "1");
        put16(d, DCM_SamplesPerPixel, 1);
        put(d, DCM_PhotometricInterpretation, "MONOCHROME2");
        put16(d, DCM_Rows, spec.rows);
        put16(d, DCM_Columns, spec.columns);
        put16(d, DCM_BitsAllocated, 16);
        put16(d, DCM_BitsStored, 16);
        put16(d, DCM_HighBit, 15);
        put16(d, DCM_PixelRepresentation, 0);
        std::vector<Uint16> pixels(static_cast<std::size_t>(spec.rows) * static_cast<std::size_t>(spec.columns));
        for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint16>(1000 + 10 * k + i);
        if (d.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())).bad())
            throw std::runtime_error("writing test DICOM: pixel data");
        auto file = folder / ("slice-" + std::to_string(k + 1) + ".dcm");
        if (ff.saveFile(file.c_str(), EXS_LittleEndianExplicit).bad())
            throw std::runtime_error("writing test DICOM: cannot save " + file.string());
        files.push_back(file);
    }
    return files;
}

}  // namespace consilium::test::dicom
