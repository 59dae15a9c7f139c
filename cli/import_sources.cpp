#include "import_sources.h"

#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/fhir_import.h"
#include "consilium/viewer/scan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace consilium::cli {
namespace {

namespace fs = std::filesystem;
using decision::InputError;

// The geometry the scan found, kept with the series in the workspace index.
nlohmann::json geometry(const viewer::Series& s) {
    nlohmann::json g{{"dims", s.dims},          {"spacing", s.spacing_mm},
                     {"origin", s.origin_lps},  {"direction", s.direction},
                     {"warnings", s.warnings}};
    if (s.gantry_tilt_deg != 0.0) g["gantry_tilt_deg"] = s.gantry_tilt_deg;
    return g;
}

// Adds one scan's studies to `studies` (grouped by UID across every path given).
void add_scan(const viewer::ScanResult& scan, std::vector<decision::DicomStudyInput>& studies,
              std::map<std::string, std::size_t>& study_index, std::vector<std::string>& text_warnings) {
    for (const auto& study : scan.studies) {
        text_warnings.insert(text_warnings.end(), study.warnings.begin(), study.warnings.end());
        for (auto si : study.series) {
            const auto& part = scan.series[si];
            if (part.slices.empty()) continue;
            const auto& head = scan.files[part.slices.front().file];
            auto [it, fresh] = study_index.emplace(study.study_uid, studies.size());
            if (fresh) {
                decision::DicomStudyInput in;
                in.study_uid = study.study_uid;
                in.date = head.study_date;
                in.description = head.study_description;
                in.accession = head.accession_number;
                in.patient = {head.patient_id, head.patient_name, head.patient_birth_date, head.patient_sex};
                studies.push_back(std::move(in));
            }
            auto& in = studies[it->second];
            auto series = std::find_if(in.series.begin(), in.series.end(),
                                       [&](const auto& s) { return s.series_uid == part.series_uid; });
            if (series == in.series.end()) {
                in.series.push_back({part.series_uid, part.modality, part.description, {}, text::json_text(geometry(part))});
                series = std::prev(in.series.end());
            } else {
                // A series the scan split into several volumes (time points, orientations): one
                // row, its parts listed in the geometry.
                auto g = nlohmann::json::parse(series->geometry_json);
                if (!g.contains("parts")) g["parts"] = nlohmann::json::array({{{"part", ""}, {"dims", g["dims"]}}});
                g["parts"].push_back({{"part", part.part}, {"dims", part.dims}});
                series->geometry_json = text::json_text(g);
            }
            std::set<std::size_t> files;
            for (const auto& slice : part.slices)
                if (files.insert(slice.file).second)
                    series->files.push_back({scan.files[slice.file].path, scan.files[slice.file].sop_instance_uid});
        }
    }
}

}  // namespace

bool is_fhir_file_name(const fs::path& path) {
    auto ext = path.extension().string();
    return ext == ".json" || ext == ".ndjson";
}

ImportSources gather_import_sources(const std::vector<std::string>& paths, const viewer::ScanOptions& scan_options) {
    ImportSources out;
    std::map<std::string, std::size_t> study_index;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!fs::exists(path, ec)) throw InputError(path, "no such file or folder");
        std::size_t fhir = 0, other = 0;
        if (fs::is_directory(path, ec)) {
            for (auto& f : decision::fhir_files(path)) {
                out.fhir_files.push_back(std::move(f));
                ++fhir;
            }
            for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::end(it) && other == 0; it.increment(ec))
                if (it->is_regular_file(ec) && !is_fhir_file_name(it->path())) ++other;
        } else if (is_fhir_file_name(path)) {
            out.fhir_files.emplace_back(path);
            ++fhir;
        } else {
            ++other;
        }
        std::size_t usable = 0;
        std::string first_reason;
        if (other) {
            auto scan = viewer::scan(path, scan_options);
            for (const auto& u : scan.unreadable) {
                if (is_fhir_file_name(u.path)) continue;  // handed to the FHIR importer instead
                if (first_reason.empty()) first_reason = u.path.string() + ": " + u.reason;
                out.unreadable.push_back({u.path.string(), u.reason});
            }
            for (const auto& s : scan.series) usable += s.slices.empty() ? 0 : 1;
            add_scan(scan, out.dicom_studies, study_index, out.text_warnings);
        }
        if (fhir == 0 && usable == 0)
            throw InputError(path, "holds no FHIR (*.json, *.ndjson) and no readable DICOM images" +
                                       (first_reason.empty() ? std::string() : " (" + first_reason + ")"));
    }
    return out;
}

std::vector<decision::DicomStudyInput> scan_staged_dicom(const std::vector<std::filesystem::path>& folders) {
    std::vector<std::string> paths;
    for (const auto& f : folders) paths.push_back(f.string());
    auto sources = gather_import_sources(paths);
    if (!sources.unreadable.empty())
        throw decision::InputError(sources.unreadable.front().path, sources.unreadable.front().reason);
    if (!sources.fhir_files.empty()) throw decision::InputError(sources.fhir_files.front().string(), "not DICOM");
    return std::move(sources.dicom_studies);
}

std::optional<decision::DicomTexts> read_dicom_texts(const fs::path& file) {
    try {
        const auto h = viewer::read_dicom_header(file);
        return decision::DicomTexts{{h.patient_id, h.patient_name, h.patient_birth_date, h.patient_sex},
                                    h.study_description,
                                    h.series_description};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string repair_workspace(decision::Workspace& workspace) {
    const auto r = decision::repair_dicom_text(workspace.store(), workspace.folder(), read_dicom_texts);
    if (!r.done) return "";
    std::string message = "workspace updated: names and descriptions of imported DICOM decoded again by their character set (" +
                          std::to_string(r.patients.size()) + " patient name(s), " + std::to_string(r.studies) +
                          " study and " + std::to_string(r.series) + " series description(s) rewritten; audited)";
    if (!r.unreadable.empty())
        message += "; " + std::to_string(r.unreadable.size()) + " series folder(s) had no readable file, their text was kept";
    return message;
}

}  // namespace consilium::cli
