#include "consilium/decision/dicom_text_repair.h"

#include "dicom_internal.h"

#include "consilium/text/json_text.h"
#include "consilium/text/utf8.h"

#include <algorithm>

namespace consilium::decision {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> non_empty(const std::string& s) {
    auto t = dicom::trim(s);
    return t.empty() ? std::nullopt : std::optional<std::string>(t);
}

// The first readable file of a series folder, in name order (the same file on every run).
std::optional<DicomTexts> read_series(const fs::path& folder, const DicomTextReader& read) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return std::nullopt;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".dcm") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
        if (auto texts = read(f)) return texts;
    return std::nullopt;
}

bool same_name(const Patient& a, const Patient& b) {
    return a.family == b.family && a.given == b.given && a.name == b.name && a.name_ideographic == b.name_ideographic &&
           a.name_phonetic == b.name_phonetic;
}

}  // namespace

DicomTextRepair repair_dicom_text(Store& store, const fs::path& workspace, const DicomTextReader& read) {
    DicomTextRepair out;
    const auto pending = store.pending_repairs();
    if (std::find(pending.begin(), pending.end(), kDicomTextRepair) == pending.end()) return out;
    auto tx = store.begin();
    for (const auto& listed : store.patients().list()) {
        std::optional<Patient> renamed;
        for (auto study : store.imaging().studies_of(listed.id)) {
            std::optional<DicomTexts> first;
            DicomStudyInput input{study.study_uid, "", "", "", {}, {}};
            for (auto series : store.imaging().series_of(study.id)) {
                auto texts = read_series(workspace / series.folder, read);
                if (!texts) {
                    out.unreadable.push_back(series.folder);
                    continue;
                }
                if (!first) first = texts;
                input.series.push_back({series.series_uid, series.modality.value_or(""), "", {}, "{}"});
                const auto description = non_empty(texts->series_description);
                if (description != series.description) {
                    series.description = description;
                    store.imaging().update_series(series);
                    ++out.series;
                }
            }
            if (!first) continue;
            const auto description = non_empty(first->study_description);
            if (description != study.description) {
                study.description = description;
                store.imaging().update_study(study);
                ++out.studies;
                // The study's timeline event is shown by its description.
                input.description = description.value_or("");
                if (study.date) input.date = study.date->substr(0, 4) + study.date->substr(5, 2) + study.date->substr(8, 2);
                auto event = dicom::study_event(input, listed.id);
                if (auto existing = store.timeline().find_by_source(*event.source_ref))
                    store.timeline().replace(existing->id, event);
            }
            // A patient made from DICOM (not from a FHIR record) is named by its images; a DICOM
            // PatientID that matched a FHIR patient never renames that patient.
            if (!renamed && !listed.source_ref && dicom::trim(first->patient.patient_id) == listed.mrn) {
                Patient decoded = patient_from_dicom(first->patient);
                auto stored = store.patients().find(listed.id);
                if (stored && !same_name(*stored, decoded)) {
                    Patient updated = *stored;
                    updated.family = decoded.family;
                    updated.given = decoded.given;
                    updated.name = decoded.name;
                    updated.name_ideographic = decoded.name_ideographic;
                    updated.name_phonetic = decoded.name_phonetic;
                    store.patients().update(updated);
                    renamed = updated;
                    out.patients.push_back(listed.id);
                }
            }
        }
    }
    nlohmann::json details{{"repair", kDicomTextRepair},
                           {"why", "DICOM text decoded by its Specific Character Set (schema 9)"},
                           {"patients_renamed", out.patients},
                           {"study_descriptions", out.studies},
                           {"series_descriptions", out.series},
                           {"series_unreadable", out.unreadable}};
    store.audit().append({"consilium", "system", "workspace.repair", "workspace", kDicomTextRepair, text::json_text(details)});
    store.finish_repair(kDicomTextRepair);
    tx->commit();
    out.done = true;
    return out;
}

}  // namespace consilium::decision
