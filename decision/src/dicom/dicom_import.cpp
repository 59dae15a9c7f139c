// DICOM studies into the workspace: check everything, then per study copy the files and write the
// patient, study, series, timeline event and audit entry in one transaction.
#include "consilium/text/json_text.h"
#include "dicom_internal.h"

#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <set>

namespace consilium::decision {
namespace {

namespace fs = std::filesystem;
using namespace dicom;

std::string first_file(const DicomStudyInput& study) {
    for (const auto& s : study.series)
        if (!s.files.empty()) return s.files.front().source.string();
    return "study " + study.study_uid;
}

std::optional<std::string> non_empty(const std::string& s) {
    auto t = trim(s);
    return t.empty() ? std::nullopt : std::optional<std::string>(t);
}


struct StudyDelta {
    int patients_added = 0, studies_added = 0, series_added = 0, instances_added = 0, events_added = 0;
};

}  // namespace

// The study's place on the patient's timeline: kind imaging, coded by modality.
TimelineEvent dicom::study_event(const DicomStudyInput& study, std::int64_t patient_id) {
    std::set<std::string> modalities;
    for (const auto& s : study.series)
        if (auto m = non_empty(s.modality)) modalities.insert(*m);
    std::string code;
    for (const auto& m : modalities) code += (code.empty() ? "" : ",") + m;
    TimelineEvent e;
    e.patient_id = patient_id;
    e.kind = EventKind::imaging;
    e.code = {"http://dicom.nema.org/resources/ontology/DCM", code,
              non_empty(study.description).value_or(code.empty() ? "Imaging study" : code + " study")};
    e.start = dicom_date(study.date);
    e.status = "available";
    e.resource_type = "DICOM";
    e.source_ref = "dicom-study/" + study.study_uid;
    e.content_hash = sha256_hex(text::json_text(nlohmann::json{
        {"patient", patient_id}, {"code", e.code.code}, {"display", e.code.display}, {"start", e.start.value_or("")}}));
    return e;
}

void check_dicom_import(Store& store, const std::vector<DicomStudyInput>& studies) {
    for (const auto& study : studies) {
        const auto where = first_file(study);
        if (trim(study.patient.patient_id).empty())
            throw InputError(where, "has no PatientID (0010,0020): cannot tell whose images these are");
        auto patient = patient_for_id(store, study.patient.patient_id, where);
        if (auto stored = store.imaging().find_study(study.study_uid); stored && (!patient || stored->patient_id != patient->id))
            throw InputError(where, "study " + study.study_uid + " is already in the workspace for patient id " +
                                        std::to_string(stored->patient_id) + ", but this file's PatientID is '" +
                                        trim(study.patient.patient_id) + "'");
        for (const auto& series : study.series) {
            auto stored = store.imaging().find_series(series.series_uid);
            if (!stored) continue;
            auto owner = store.imaging().find_study_by_id(stored->study_id);
            if (owner && owner->study_uid != study.study_uid)
                throw InputError(series.files.empty() ? where : series.files.front().source.string(),
                                 "series " + series.series_uid + " is already in the workspace under study " +
                                     owner->study_uid + ", not " + study.study_uid);
        }
    }
}

DicomImportSummary import_dicom(Store& store, const fs::path& workspace, const Session& session,
                                const std::vector<DicomStudyInput>& studies, const ImportHooks& hooks) {
    check_dicom_import(store, studies);
    DicomImportSummary summary;
    std::set<std::string> patient_ids;
    std::size_t files_total = 0, files_done = 0;
    for (const auto& study : studies)
        for (const auto& series : study.series) files_total += series.files.size();
    for (const auto& study : studies) {
        if (hooks.cancelled()) {
            summary.cancelled = true;
            break;
        }
        const auto where = first_file(study);
        patient_ids.insert(trim(study.patient.patient_id));
        ++summary.studies;
        StudyDelta delta;
        int instances = 0;
        std::vector<fs::path> sources;
        // Files first: a row committed below never names a file that is not there.
        for (const auto& series : study.series) {
            ++summary.series;
            const fs::path folder = workspace / series_folder(study.study_uid, series.series_uid);
            std::set<std::string> seen;
            for (const auto& f : series.files) {
                hooks.report(++files_done, files_total);
                sources.push_back(f.source);
                const auto sop = trim(f.sop_instance_uid);
                if (sop.empty()) {
                    summary.skipped.push_back({f.source.string(), "no SOPInstanceUID (0008,0018): not copied"});
                    continue;
                }
                if (seen.insert(sop).second) ++instances;
                switch (copy_instance(f.source, folder / (path_component(sop) + ".dcm"))) {
                case CopyOutcome::copied: ++delta.instances_added; break;
                case CopyOutcome::already_there: break;
                case CopyOutcome::differs:
                    summary.skipped.push_back({f.source.string(), "the workspace already holds a different file for instance " +
                                                                      sop + "; kept the stored one"});
                    break;
                }
            }
        }
        summary.instances += instances;

        auto tx = store.begin();
        auto patient = patient_for_id(store, study.patient.patient_id, where);
        std::int64_t patient_id = patient ? patient->id : 0;
        if (!patient) {
            patient_id = store.patients().insert(patient_from_dicom(study.patient));
            ++delta.patients_added;
        }
        auto stored_study = store.imaging().find_study(study.study_uid);
        std::int64_t study_id = stored_study ? stored_study->id : 0;
        if (!stored_study) {
            study_id = store.imaging().insert_study({0, patient_id, study.study_uid, dicom_date(study.date),
                                                     non_empty(study.description), non_empty(study.accession)});
            ++delta.studies_added;
        }
        auto series_uids = nlohmann::json::array();
        for (const auto& series : study.series) {
            series_uids.push_back(series.series_uid);
            ImagingSeries row{0, study_id, series.series_uid, non_empty(series.modality), non_empty(series.description),
                              0, series_folder(study.study_uid, series.series_uid), series.geometry_json};
            row.instances = count_instances(workspace / row.folder);
            auto stored = store.imaging().find_series(series.series_uid);
            if (!stored) {
                store.imaging().insert_series(row);
                ++delta.series_added;
            } else if (stored->instances != row.instances) {
                row.id = stored->id;
                store.imaging().update_series(row);
            }
        }
        auto event = study_event(study, patient_id);
        if (auto existing = store.timeline().find_by_source(*event.source_ref); !existing) {
            store.timeline().insert(event);
            ++delta.events_added;
        } else if (existing->content_hash != *event.content_hash) {
            store.timeline().replace(existing->id, event);
        }
        nlohmann::json details{{"study_uid", study.study_uid},
                               {"series_uids", series_uids},
                               {"instances", instances},
                               {"patient_id", patient_id},
                               {"source_folder", common_folder(sources).string()},
                               {"added", {{"patients", delta.patients_added}, {"studies", delta.studies_added},
                                          {"series", delta.series_added}, {"instances", delta.instances_added}}}};
        store.audit().append(audit_record(session, "import.dicom", "study", study.study_uid, text::json_text(details)));
        tx->commit();

        summary.patients_added += delta.patients_added;
        summary.studies_added += delta.studies_added;
        summary.series_added += delta.series_added;
        summary.instances_added += delta.instances_added;
        summary.events_added += delta.events_added;
    }
    summary.patients = static_cast<int>(patient_ids.size());
    return summary;
}

}  // namespace consilium::decision
