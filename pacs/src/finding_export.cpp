// Which findings may leave, which label of a mask is theirs, and writing the SR and SEG so that
// a failure leaves no file behind.
#include "finding_internal.h"

#include "consilium/decision/errors.h"
#include "consilium/pacs/dicom_uid.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <map>
#include <mutex>

namespace consilium::pacs {
namespace {

namespace fs = std::filesystem;
using decision::InputError;
using decision::ReviewStatus;
using decision::Suggestion;

std::string who(const Suggestion& s) { return "suggestion " + std::to_string(s.id); }

std::array<double, 3> triple(const nlohmann::json& j) {
    if (!j.is_array() || j.size() != 3) throw std::invalid_argument("not three numbers");
    return {j[0].get<double>(), j[1].get<double>(), j[2].get<double>()};
}

// Label of the mask most present inside the region's box (the plugin's box around this finding);
// 0 when none is.
int label_in_region(const LabelMask& mask, const FindingRegion& region) {
    // Index ranges of the box: its corners mapped to voxel indices (direction columns are the axes).
    std::array<double, 3> lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
    for (int corner = 0; corner < 8; ++corner) {
        std::array<double, 3> p{};
        for (std::size_t a = 0; a < 3; ++a)
            p[a] = region.center_lps[a] + ((corner >> a) & 1 ? 0.5 : -0.5) * region.size_mm[a] - mask.origin_lps[a];
        for (std::size_t axis = 0; axis < 3; ++axis) {
            const double along = p[0] * mask.direction[axis] + p[1] * mask.direction[3 + axis] + p[2] * mask.direction[6 + axis];
            const double index = along / mask.spacing_mm[axis];
            lo[axis] = std::min(lo[axis], index);
            hi[axis] = std::max(hi[axis], index);
        }
    }
    std::array<int, 3> from{}, to{};
    for (std::size_t a = 0; a < 3; ++a) {
        from[a] = std::max(0, static_cast<int>(std::floor(lo[a] + 0.5)));
        to[a] = std::min(mask.dims[a] - 1, static_cast<int>(std::ceil(hi[a] - 0.5)));
    }
    std::map<int, std::size_t> counts;
    const auto nx = static_cast<std::size_t>(mask.dims[0]), ny = static_cast<std::size_t>(mask.dims[1]);
    for (int z = from[2]; z <= to[2]; ++z)
        for (int y = from[1]; y <= to[1]; ++y)
            for (int x = from[0]; x <= to[0]; ++x) {
                const auto v = mask.labels[(static_cast<std::size_t>(z) * ny + static_cast<std::size_t>(y)) * nx +
                                           static_cast<std::size_t>(x)];
                if (v != 0) ++counts[v];
            }
    int best = 0;
    std::size_t most = 0;
    for (const auto& [label, n] : counts)
        if (n > most) best = label, most = n;
    return best;
}

// Writes with `write` to a hidden temporary name beside `target`, then renames it into place.
template <typename Write>
void write_then_rename(const fs::path& target, Write write) {
    const fs::path temp = target.parent_path() / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".part");
    try {
        write(temp);
        fs::rename(temp, target);
    } catch (...) {
        std::error_code ec;
        fs::remove(temp, ec);
        throw;
    }
}

}  // namespace

FindingEvidence read_finding_evidence(const Suggestion& s) {
    FindingEvidence out;
    const auto items = nlohmann::json::parse(s.evidence_json, nullptr, false);
    if (!items.is_array()) return out;
    for (const auto& item : items) {
        if (!item.is_object()) continue;
        const auto type = item.value("type", std::string());
        try {
            if (type == "roi" && !out.region && item.contains("center_lps") && item.contains("size_mm"))
                out.region = FindingRegion{triple(item["center_lps"]), triple(item["size_mm"])};
            if (type == "mask" && !out.mask_file && item.contains("file") && item["file"].is_string()) {
                out.mask_file = item["file"].get<std::string>();
                if (item.contains("label") && item["label"].is_number_integer()) out.mask_label = item["label"].get<int>();
            }
        } catch (const std::exception&) {
            // An item the host validated but we cannot read as a region is simply not one.
        }
    }
    return out;
}

void check_exportable(const Suggestion& s) {
    if (s.status != ReviewStatus::accepted && s.status != ReviewStatus::modified)
        throw InputError(who(s), "it is " + std::string(to_string(s.status)) +
                                     "; only findings a clinician accepted or modified leave the workspace");
    if (s.kind != decision::SuggestionKind::finding)
        throw InputError(who(s), "it is a " + std::string(to_string(s.kind)) + ", not an image finding");
    if (!read_finding_evidence(s).region)
        throw InputError(who(s), "it has no region on an image (no ROI evidence), so it is not an image finding");
}

FindingExport export_finding(const FindingExportRequest& req, const fs::path& out_dir) {
    // DCMTK's log would print warnings about the source's empty type 2 attributes; failures reach
    // the caller as exceptions with the condition's text.
    static std::once_flag quiet;
    std::call_once(quiet, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
    const auto& s = req.suggestion;
    check_exportable(s);
    const auto evidence = read_finding_evidence(s);
    if (evidence.mask_file && !req.mask)
        throw InputError(who(s), "its mask " + *evidence.mask_file + " was not given to the export");
    const auto series = detail::read_source_series(req.source_files, req.source_series_uid, who(s));

    FindingExport result;
    result.patient_id = series.patient_id;
    result.study_uid = series.study_uid;
    result.frame_of_reference_uid = series.frame_of_reference_uid;
    result.source_slices = static_cast<int>(series.images.size());

    detail::SegInput seg_in;
    if (req.mask) {
        const auto& m = *req.mask;
        if (m.labels.size() != static_cast<std::size_t>(m.dims[0]) * static_cast<std::size_t>(m.dims[1]) * static_cast<std::size_t>(m.dims[2]))
            throw InputError(who(s), "its mask holds " + std::to_string(m.labels.size()) + " voxels, not as many as its size");
        seg_in.slice_of_k = detail::mask_slices_in_series(m, series, who(s));
        seg_in.label = evidence.mask_label.value_or(label_in_region(m, *evidence.region));
        if (seg_in.label == 0) throw InputError(who(s), "its mask holds no label inside its region");
        for (std::size_t k = 0; k < seg_in.slice_of_k.size(); ++k) {
            if (seg_in.slice_of_k[k] >= 0) continue;
            const auto plane = static_cast<std::size_t>(m.dims[0]) * static_cast<std::size_t>(m.dims[1]);
            for (std::size_t p = 0; p < plane; ++p)
                if (m.labels[k * plane + p] == seg_in.label)
                    throw InputError(who(s), "its mask's slice " + std::to_string(k) + " lies on no image of series " +
                                                 series.series_uid + " (a series with gaps is not resampled)");
        }
        result.mask_label = seg_in.label;
    }

    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) throw InputError(out_dir.string(), "cannot create the folder: " + ec.message());
    const std::string tracking_uid = new_dicom_uid();

    if (req.mask) {
        ExportedObject seg{out_dir / "seg.dcm", "SEG", UID_SegmentationStorage, new_dicom_uid(), new_dicom_uid()};
        seg_in.request = &req;
        seg_in.series = &series;
        seg_in.series_uid = seg.series_uid;
        seg_in.sop_instance_uid = seg.sop_instance_uid;
        seg_in.tracking_uid = tracking_uid;
        write_then_rename(seg.file, [&](const fs::path& temp) { detail::write_finding_seg(seg_in, temp); });
        result.seg = seg;
    }
    try {
        ExportedObject sr{out_dir / "sr.dcm", "SR", UID_Comprehensive3DSRStorage, new_dicom_uid(), new_dicom_uid()};
        detail::SrInput sr_in;
        sr_in.request = &req;
        sr_in.series = &series;
        sr_in.region = *evidence.region;
        sr_in.images = detail::images_spanned(series, *evidence.region);
        sr_in.seg = result.seg ? &*result.seg : nullptr;
        sr_in.series_uid = sr.series_uid;
        sr_in.sop_instance_uid = sr.sop_instance_uid;
        sr_in.tracking_uid = tracking_uid;
        write_then_rename(sr.file, [&](const fs::path& temp) { detail::write_finding_sr(sr_in, temp); });
        result.sr = sr;
    } catch (...) {
        // The SEG alone would be half an export.
        if (result.seg) fs::remove(result.seg->file, ec);
        throw;
    }
    return result;
}

}  // namespace consilium::pacs
