#include "consilium/viewer/dicom_header.h"

#include "consilium/text/dicom_text.h"
#include "consilium/text/utf8.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>

#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

namespace consilium::viewer {
namespace {

// Larger element values (pixel data, big private blobs) are not read into memory: headers only.
constexpr Uint32 kMaxValueBytesRead = 4096;

void quiet_dcmtk() {
    static std::once_flag once;
    std::call_once(once, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
}

// ASCII attributes (UIDs, dates, codes): no character set involved.
std::string text(DcmItem& item, const DcmTagKey& tag) {
    OFString v;
    if (item.findAndGetOFStringArray(tag, v).good()) {
        std::string s = v.c_str();
        while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
        while (!s.empty() && s.front() == ' ') s.erase(s.begin());
        return text::valid_utf8(s);
    }
    return {};
}

std::optional<int> integer(DcmItem& item, const DcmTagKey& tag) {
    Sint32 v = 0;
    if (item.findAndGetSint32(tag, v).good()) return v;
    Uint16 u = 0;
    if (item.findAndGetUint16(tag, u).good()) return u;
    return std::nullopt;
}

std::optional<double> decimal(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0) {
    Float64 v = 0;
    if (item.findAndGetFloat64(tag, v, pos).good()) return v;
    return std::nullopt;
}

template <std::size_t N>
std::optional<std::array<double, N>> decimals(DcmItem& item, const DcmTagKey& tag) {
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        auto v = decimal(item, tag, static_cast<unsigned long>(i));
        if (!v) return std::nullopt;
        out[i] = *v;
    }
    return out;
}

DcmItem* first_item(DcmItem& item, const DcmTagKey& sequence) {
    DcmItem* found = nullptr;
    if (item.findAndGetSequenceItem(sequence, found, 0).good()) return found;
    return nullptr;
}

// Functional group macros of enhanced objects: each sets what it carries on the frame.
void apply_functional_groups(DcmItem& groups, Frame& f) {
    if (DcmItem* m = first_item(groups, DCM_PixelMeasuresSequence)) {
        if (auto s = decimals<2>(*m, DCM_PixelSpacing)) f.pixel_spacing_mm = s;
        if (auto t = decimal(*m, DCM_SliceThickness)) f.slice_thickness_mm = t;
    }
    if (DcmItem* p = first_item(groups, DCM_PlanePositionSequence))
        if (auto v = decimals<3>(*p, DCM_ImagePositionPatient)) f.position_lps = v;
    if (DcmItem* o = first_item(groups, DCM_PlaneOrientationSequence))
        if (auto v = decimals<6>(*o, DCM_ImageOrientationPatient)) f.orientation = v;
    if (DcmItem* r = first_item(groups, DCM_PixelValueTransformationSequence)) {
        if (auto s = decimal(*r, DCM_RescaleSlope)) f.rescale_slope = *s;
        if (auto i = decimal(*r, DCM_RescaleIntercept)) f.rescale_intercept = *i;
    }
    if (DcmItem* c = first_item(groups, DCM_FrameContentSequence)) {
        if (auto t = integer(*c, DCM_TemporalPositionIndex)) f.temporal_position = t;
    }
}

bool has_dicm_magic(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    char buf[132] = {};
    in.read(buf, sizeof buf);
    return in.gcount() == 132 && std::memcmp(buf + 128, "DICM", 4) == 0;
}

}  // namespace

std::string describe_transfer_syntax(const std::string& uid) {
    DcmXfer x(uid.c_str());
    std::string name = x.getXfer() == EXS_Unknown ? std::string("unknown transfer syntax") : x.getXferName();
    return name + " (" + uid + ")";
}

DicomFile read_dicom_header(const std::filesystem::path& path) {
    quiet_dcmtk();
    DcmFileFormat ff;
    // Files without the 128-byte preamble exist (old exports); accept them only if they parse as
    // a dataset that names its study and series, so a text file is never taken for an image.
    const bool magic = has_dicm_magic(path);
    const E_FileReadMode mode = magic ? ERM_fileOnly : ERM_autoDetect;
    OFCondition status = ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxValueBytesRead, mode);
    // A deflated dataset cannot leave values on disk to load later: read it whole.
    if (status.bad() && magic) status = ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
    if (status.bad()) throw std::runtime_error(std::string("not a readable DICOM file: ") + status.text());
    DcmDataset& ds = *ff.getDataset();
    DcmMetaInfo& meta = *ff.getMetaInfo();

    DicomFile d;
    d.path = path;
    d.sop_class_uid = text(meta, DCM_MediaStorageSOPClassUID);
    if (d.sop_class_uid.empty()) d.sop_class_uid = text(ds, DCM_SOPClassUID);
    if (d.sop_class_uid == UID_MediaStorageDirectoryStorage)
        throw std::runtime_error("a DICOMDIR (an index of other files), not an image");
    d.sop_instance_uid = text(ds, DCM_SOPInstanceUID);
    d.study_uid = text(ds, DCM_StudyInstanceUID);
    d.series_uid = text(ds, DCM_SeriesInstanceUID);
    if (!magic && (d.study_uid.empty() || d.series_uid.empty())) throw std::runtime_error("not a DICOM file");
    d.frame_of_reference_uid = text(ds, DCM_FrameOfReferenceUID);
    text::DicomTextDecoder decoder(ds, path.string());
    d.specific_character_set = decoder.character_set();
    d.patient_id = decoder.text(ds, DCM_PatientID);
    d.patient_name = decoder.text(ds, DCM_PatientName);
    d.patient_birth_date = text(ds, DCM_PatientBirthDate);
    d.patient_sex = text(ds, DCM_PatientSex);
    d.study_date = text(ds, DCM_StudyDate);
    d.study_time = text(ds, DCM_StudyTime);
    d.study_description = decoder.text(ds, DCM_StudyDescription);
    d.accession_number = decoder.text(ds, DCM_AccessionNumber);
    d.series_description = decoder.text(ds, DCM_SeriesDescription);
    d.modality = text(ds, DCM_Modality);
    d.series_number = integer(ds, DCM_SeriesNumber);
    d.instance_number = integer(ds, DCM_InstanceNumber);
    d.acquisition_number = integer(ds, DCM_AcquisitionNumber);
    d.transfer_syntax_uid = text(meta, DCM_TransferSyntaxUID);
    if (d.transfer_syntax_uid.empty()) d.transfer_syntax_uid = DcmXfer(ds.getOriginalXfer()).getXferID();
    d.text_warnings = decoder.warnings();

    if (!ds.tagExists(DCM_PixelData) && !ds.tagExists(DCM_FloatPixelData) && !ds.tagExists(DCM_DoubleFloatPixelData)) {
        std::string what = dcmFindNameOfUID(d.sop_class_uid.c_str(), d.sop_class_uid.c_str());
        throw std::runtime_error("no pixel data (" + (what.empty() ? std::string("not an image") : what) + ")");
    }
    d.rows = integer(ds, DCM_Rows).value_or(0);
    d.columns = integer(ds, DCM_Columns).value_or(0);
    d.number_of_frames = std::max(1, integer(ds, DCM_NumberOfFrames).value_or(1));
    d.bits_allocated = integer(ds, DCM_BitsAllocated).value_or(0);
    d.bits_stored = integer(ds, DCM_BitsStored).value_or(d.bits_allocated);
    d.pixel_representation = integer(ds, DCM_PixelRepresentation).value_or(0);
    d.samples_per_pixel = integer(ds, DCM_SamplesPerPixel).value_or(1);
    d.photometric = text(ds, DCM_PhotometricInterpretation);
    d.gantry_tilt_deg = decimal(ds, DCM_GantryDetectorTilt);
    // PixelPaddingValue is US or SS (by the pixel representation); DCMTK reads each as itself only.
    if (Sint16 ss = 0; ds.findAndGetSint16(DCM_PixelPaddingValue, ss).good()) d.pixel_padding_value = ss;
    else if (Uint16 us = 0; ds.findAndGetUint16(DCM_PixelPaddingValue, us).good()) d.pixel_padding_value = us;
    if (d.rows <= 0 || d.columns <= 0) throw std::runtime_error("the image has no rows or columns");
    if (d.number_of_frames > 100000) throw std::runtime_error("absurd number of frames: " + std::to_string(d.number_of_frames));

    Frame base;
    base.position_lps = decimals<3>(ds, DCM_ImagePositionPatient);
    base.orientation = decimals<6>(ds, DCM_ImageOrientationPatient);
    base.pixel_spacing_mm = decimals<2>(ds, DCM_PixelSpacing);
    if (!base.pixel_spacing_mm) base.pixel_spacing_mm = decimals<2>(ds, DCM_ImagerPixelSpacing);
    base.slice_thickness_mm = decimal(ds, DCM_SliceThickness);
    base.rescale_slope = decimal(ds, DCM_RescaleSlope).value_or(1.0);
    base.rescale_intercept = decimal(ds, DCM_RescaleIntercept).value_or(0.0);
    if (base.rescale_slope == 0.0) base.rescale_slope = 1.0;
    base.temporal_position = integer(ds, DCM_TemporalPositionIdentifier);

    DcmItem* shared = first_item(ds, DCM_SharedFunctionalGroupsSequence);
    DcmSequenceOfItems* per_frame = nullptr;
    ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame);
    d.enhanced = shared || per_frame;
    if (shared) apply_functional_groups(*shared, base);
    for (int i = 0; i < d.number_of_frames; ++i) {
        Frame f = base;
        f.index = i;
        if (per_frame && static_cast<unsigned long>(i) < per_frame->card())
            apply_functional_groups(*per_frame->getItem(static_cast<unsigned long>(i)), f);
        d.frames.push_back(f);
    }
    return d;
}

}  // namespace consilium::viewer
