// The source series of a finding, read from its DICOM headers, and how a plugin's mask lines up
// with its slices. The SR and SEG reference these instances, so they come from the files
// themselves, not from the workspace index.
#include "finding_internal.h"

#include "consilium/text/dicom_text.h"

#include "consilium/decision/errors.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cmath>

namespace consilium::pacs::detail {
namespace {

namespace fs = std::filesystem;
using decision::InputError;

std::string text(DcmItem& item, const DcmTagKey& tag) {
    OFString value;
    item.findAndGetOFStringArray(tag, value);
    return value.c_str();
}

template <std::size_t N>
bool numbers(DcmItem& item, const DcmTagKey& tag, std::array<double, N>& out) {
    for (std::size_t i = 0; i < N; ++i) {
        Float64 v = 0;
        if (item.findAndGetFloat64(tag, v, static_cast<unsigned long>(i)).bad()) return false;
        out[i] = v;
    }
    return true;
}

std::array<double, 3> normal_of(const std::array<double, 6>& o) {
    return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

double dot(const std::array<double, 3>& a, const std::array<double, 3>& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

}  // namespace

SourceSeries read_source_series(const std::vector<fs::path>& files, const std::string& series_uid, const std::string& who) {
    if (files.empty())
        throw decision::NotFound(who + ": the images of series " + series_uid + " are not in the workspace");
    SourceSeries s;
    for (const auto& f : files) {
        std::error_code ec;
        if (!fs::is_regular_file(f, ec))
            throw decision::NotFound(who + ": source image " + f.string() + " is missing from the workspace");
        DcmFileFormat ff;
        // Headers only: values over 4 KB (the pixel data) stay on disk.
        if (ff.loadFile(f.c_str(), EXS_Unknown, EGL_noChange, 4096).bad())
            throw InputError(who, "source image " + f.string() + " is not readable DICOM");
        DcmItem& d = *ff.getDataset();
        SourceImage image;
        image.file = f;
        image.sop_class_uid = text(d, DCM_SOPClassUID);
        image.sop_instance_uid = text(d, DCM_SOPInstanceUID);
        image.position_text = text(d, DCM_ImagePositionPatient);
        Sint32 frames = 1;
        d.findAndGetSint32(DCM_NumberOfFrames, frames);
        std::array<double, 6> orientation{};
        std::array<double, 2> spacing{};
        Uint16 rows = 0, columns = 0;
        d.findAndGetUint16(DCM_Rows, rows);
        d.findAndGetUint16(DCM_Columns, columns);
        if (image.sop_class_uid.empty() || image.sop_instance_uid.empty() || text(d, DCM_SeriesInstanceUID) != series_uid)
            throw InputError(who, "source image " + f.string() + " is not an instance of series " + series_uid);
        if (frames > 1)
            throw InputError(who, "series " + series_uid + " is multi-frame; findings on it cannot be exported yet");
        if (!numbers(d, DCM_ImagePositionPatient, image.position) || !numbers(d, DCM_ImageOrientationPatient, orientation) ||
            !numbers(d, DCM_PixelSpacing, spacing) || rows == 0 || columns == 0)
            throw InputError(who, "source image " + f.string() + " has no image geometry (position, orientation, spacing)");
        if (s.images.empty()) {
            text::DicomTextDecoder decoder(d, f.string());
            s.patient_id = decoder.text(d, DCM_PatientID);
            s.patient_name = decoder.text(d, DCM_PatientName);
            s.referring_physician = decoder.text(d, DCM_ReferringPhysicianName);
            s.study_id = decoder.text(d, DCM_StudyID);
            s.accession = decoder.text(d, DCM_AccessionNumber);
            s.study_description = decoder.text(d, DCM_StudyDescription);
            s.study_uid = text(d, DCM_StudyInstanceUID);
            s.series_uid = series_uid;
            s.frame_of_reference_uid = text(d, DCM_FrameOfReferenceUID);
            s.modality = text(d, DCM_Modality);
            s.orientation = orientation;
            s.orientation_text = text(d, DCM_ImageOrientationPatient);
            s.pixel_spacing = spacing;
            s.pixel_spacing_text = text(d, DCM_PixelSpacing);
            s.slice_thickness_text = text(d, DCM_SliceThickness);
            s.rows = rows;
            s.columns = columns;
            if (s.frame_of_reference_uid.empty())
                throw InputError(who, "series " + series_uid + " has no Frame of Reference UID: its region cannot be placed");
        } else {
            bool same = rows == s.rows && columns == s.columns;
            for (std::size_t i = 0; i < 6; ++i) same = same && std::abs(orientation[i] - s.orientation[i]) < 1e-4;
            if (!same) throw InputError(who, "series " + series_uid + " mixes image sizes or orientations");
        }
        s.images.push_back(std::move(image));
    }
    const auto normal = normal_of(s.orientation);
    std::sort(s.images.begin(), s.images.end(),
              [&](const SourceImage& a, const SourceImage& b) { return dot(a.position, normal) < dot(b.position, normal); });
    return s;
}

std::vector<const SourceImage*> images_spanned(const SourceSeries& series, const FindingRegion& region) {
    const auto normal = normal_of(series.orientation);
    const double centre = dot(region.center_lps, normal);
    // Half the box's extent along the normal (the box is axis-aligned in LPS).
    const double half = 0.5 * (std::abs(normal[0]) * region.size_mm[0] + std::abs(normal[1]) * region.size_mm[1] +
                               std::abs(normal[2]) * region.size_mm[2]);
    std::vector<const SourceImage*> out;
    const SourceImage* nearest = nullptr;
    double best = 1e300;
    for (const auto& image : series.images) {
        const double d = std::abs(dot(image.position, normal) - centre);
        if (d <= half) out.push_back(&image);
        if (d < best) best = d, nearest = &image;
    }
    if (out.empty() && nearest) out.push_back(nearest);
    return out;
}

std::vector<int> mask_slices_in_series(const LabelMask& mask, const SourceSeries& series, const std::string& who) {
    const auto& d = mask.direction;
    const std::array<double, 3> i_axis{d[0], d[3], d[6]}, j_axis{d[1], d[4], d[7]}, k_axis{d[2], d[5], d[8]};
    bool same = mask.dims[0] == series.columns && mask.dims[1] == series.rows &&
                std::abs(mask.spacing_mm[0] - series.pixel_spacing[1]) < 1e-3 &&
                std::abs(mask.spacing_mm[1] - series.pixel_spacing[0]) < 1e-3;
    for (std::size_t a = 0; a < 3; ++a)
        same = same && std::abs(i_axis[a] - series.orientation[a]) < 1e-3 && std::abs(j_axis[a] - series.orientation[3 + a]) < 1e-3;
    if (!same)
        throw InputError(who, "its mask's slices are not the images of series " + series.series_uid +
                                  " (size, spacing or orientation differ)");
    // A mask slice is a source image when their positions agree to a tenth of the slice spacing.
    const double tolerance = std::min(0.05, 0.1 * mask.spacing_mm[2]);
    std::vector<int> out(static_cast<std::size_t>(std::max(0, mask.dims[2])), -1);
    for (int k = 0; k < mask.dims[2]; ++k) {
        std::array<double, 3> p{};
        for (std::size_t a = 0; a < 3; ++a) p[a] = mask.origin_lps[a] + k * mask.spacing_mm[2] * k_axis[a];
        for (std::size_t n = 0; n < series.images.size(); ++n) {
            const auto& q = series.images[n].position;
            const double dist = std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
            if (dist <= tolerance) {
                out[static_cast<std::size_t>(k)] = static_cast<int>(n);
                break;
            }
        }
    }
    return out;
}

}  // namespace consilium::pacs::detail
