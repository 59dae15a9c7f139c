#pragma once
// Progress and cancel for imports that run off a workstation's UI thread. Optional: a
// default-constructed ImportHooks (what the CLI passes) changes nothing in how an import runs.
#include <atomic>
#include <cstddef>
#include <functional>
#include <stdexcept>

namespace consilium::decision {

struct ImportHooks {
    // Units done of total (FHIR: files read, then files written; DICOM: instances copied).
    // Called on the importing threads, possibly several at once: keep it short and thread-safe.
    std::function<void(std::size_t done, std::size_t total)> progress;
    // Set by the caller to stop. Read before each file is read and before writing starts (nothing
    // is written then), and between DICOM studies (the studies already imported stay, each complete).
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
    void report(std::size_t done, std::size_t total) const {
        if (progress) progress(done, total);
    }
};

// Thrown when a cancel arrives before anything was written.
class ImportCancelled : public std::runtime_error {
public:
    ImportCancelled() : std::runtime_error("import cancelled; nothing was imported") {}
};

}  // namespace consilium::decision
