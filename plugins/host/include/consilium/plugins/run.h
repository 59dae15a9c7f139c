#pragma once
// Running a discovered plugin out of process: the worker (consilium-plugin-worker) loads a native
// plugin, receives the volume read-only through shared memory and the patient as a FHIR Bundle;
// the host enforces the manifest's limits, validates the output, and stores and audits the run.
// Plain geometry and a descriptor only: plugins/host knows no viewer types.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/decision/suggestion.h"
#include "consilium/plugins/discovery.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins {

// A volume in shared memory: the descriptor stays owned by the caller.
struct VolumeInput {
    std::array<int, 3> dims{};
    std::array<double, 3> spacing_mm{1, 1, 1};
    std::array<double, 3> origin_lps{};
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major; columns are the i, j, k axes
    bool float32 = false;  // else int16
    int fd = -1;
    std::size_t bytes = 0;
    std::string modality;
    std::string series_uid;
};

struct RunOptions {
    std::optional<std::chrono::milliseconds> timeout;  // default: the manifest's limits.timeout_s
    std::filesystem::path worker;                      // default: consilium-plugin-worker beside this program
    std::filesystem::path work_dir;                    // default: a fresh folder under the temp dir
    // Where mask evidence outlives the run, normally <workspace>/evidence: each mask (checked
    // against the volume's geometry) is copied to <evidence_dir>/run-<run_id>/ and its stored
    // evidence item's "file" becomes that path relative to evidence_dir's parent, e.g.
    // "evidence/run-12/mask.nrrd". Empty: masks are checked but not kept.
    std::filesystem::path evidence_dir;
    // Both are called on the thread that called run_plugin, while the plugin runs.
    std::function<void(double)> progress;
    std::function<void(const std::string& level, const std::string& text)> log;
    // A clinician's explicit decision to run the model although the patient is outside its
    // stated population (Permission::run_outside_intended_use). Without it such a run is refused
    // before the plugin starts. With it the run goes ahead, audited with the reason, the plugin
    // is told (kOutsideIntendedUseTag in the context Bundle) and every suggestion is marked.
    bool outside_intended_use = false;
    // Set to true from any thread (a GUI's Cancel button, or a signal handler: the atomic is
    // lock-free) to stop the run: the worker gets SIGTERM, then SIGKILL 2 s later; the run is
    // recorded as `cancelled` ("cancelled by <user>"), nothing of it is stored, and it does not
    // count toward quarantine. Already true when the run starts: the plugin is not started.
    std::shared_ptr<std::atomic<bool>> cancel;
};

struct RunResult {
    std::int64_t run_id = 0;
    decision::RunStatus status = decision::RunStatus::failed;
    // "" when succeeded. A failure the plugin's process reported carries its exit code or signal
    // and the last lines of its stderr ("the plugin exited with code 3: <last line>\nlast lines
    // of its stderr:\n...").
    std::string reason;
    std::int64_t duration_ms = 0;
    std::vector<std::int64_t> suggestions;  // ids, in the plugin's order
    // What the plugin proposed again although a clinician has already decided it (the same
    // finding or score from the same plugin and model version on the same inputs): not stored,
    // named here with that decision.
    std::vector<decision::EarlierDecision> already_decided;
    // How the plugin's process ended (none when it never started), as stored with the run.
    std::optional<int> exit_code;
    std::optional<int> exit_signal;
    std::string stderr_tail;
    // The run failed because of the host (cannot start, cannot write the context, ...), not the
    // plugin: it does not count toward quarantine.
    bool host_fault = false;
    // Why the patient is outside the model's intended use ("" when inside or none is stated); set
    // for a refused run and for one a clinician ran anyway (whose suggestions are then marked).
    std::string outside_intended_use;
};

// Failures in a row after which a plugin is quarantined. Only the plugin's own failures count:
// not refusals (rejected, its own declining included), cancellations or host faults.
inline constexpr int kQuarantineAfter = 3;

// The Bundle.meta.tag system and code telling a plugin that a clinician runs it outside its
// intended use on purpose (the tag's display holds the reason); a plugin refusing such patients
// on its own then goes ahead.
inline constexpr const char* kRunTagSystem = "urn:consilium:plugin-run";
inline constexpr const char* kOutsideIntendedUseTag = "outside-intended-use";

// Runs the plugin for the patient (Permission::run_plugins). Never throws for anything the plugin
// does; every run, refused and failed ones included, is recorded and audited (`plugin.run`).
// Refused before the plugin starts (status rejected): unavailable, quarantined or disabled, a
// volume missing or of a modality it does not read, a patient outside model.population (unless
// options.outside_intended_use). A plugin may decline a patient itself ("declined" in its output,
// see validate_output): also rejected. Every path handed to the worker or the plugin is absolute.
RunResult run_plugin(decision::Store& store, const decision::Session& session, const DiscoveredPlugin& plugin,
                     std::int64_t patient_id, const std::optional<VolumeInput>& volume, const RunOptions& options = {});

// The patient as a FHIR R4 Bundle (type collection) holding what `inputs` ask for: the Patient,
// and with inputs->timeline the timeline events' resources (Observations only of
// inputs->observation_codes when it lists any). `inputs` null: the whole record.
// `outside_intended_use` non-empty: the Bundle is tagged kOutsideIntendedUseTag with that reason.
std::string patient_context_bundle(decision::Store& store, std::int64_t patient_id, const ManifestInputs* inputs,
                                   const std::string& outside_intended_use = "");

// Checks a plugin's output against the schema of PLUGINS.md; returns "" when valid, else why not.
// `volume` bounds ROI evidence when given. Besides "suggestions" the object may hold "declined": a
// string (<= 1000 characters) saying why the plugin will not score this patient (outside its
// intended use, ...), with no suggestions.
std::string validate_output(const std::string& json_text, const std::vector<std::string>& allowed_kinds,
                            const std::optional<VolumeInput>& volume);

}  // namespace consilium::plugins
