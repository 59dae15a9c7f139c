#pragma once
// PACS connectivity: search, retrieve and send DICOM over DICOMweb (QIDO-RS, WADO-RS, STOW-RS;
// libcurl) or DIMSE (C-ECHO, C-FIND, C-GET, C-STORE; DCMTK dcmnet). Both protocols behind one
// interface, so the CLI and the GUI never care which one a node speaks.
//
// Retrieval writes instances into a folder the caller names (a staging folder inside the
// workspace), one file per instance named <SOPInstanceUID>.dcm, each written to a temporary name
// and renamed only once it is complete and parses as DICOM. What the caller already has is skipped
// (RetrieveOptions::have). This library never touches the workspace index: the caller imports the
// staged files (consilium-cli does it exactly as `import` does).
#include "consilium/decision/pacs_node_record.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace consilium::pacs {

// A failure talking to the node. `kind` lets callers choose a message or an exit code.
class PacsError : public std::runtime_error {
public:
    enum class Kind {
        unreachable,  // nothing answers, or the connection timed out / was refused
        auth,         // the node refused our credentials (HTTP 401/403, association rejected)
        protocol,     // the node answered something we cannot use (HTTP 5xx, bad multipart, DIMSE failure)
        corrupt,      // an instance did not parse as DICOM
        cancelled,    // RetrieveOptions::cancel was set
        tls,          // certificate verification or TLS handshake failed
    };
    PacsError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }
private:
    Kind kind_;
};

struct StudyQuery {
    std::string patient_id;    // exact, or with DICOM wildcards * ?
    std::string patient_name;  // DICOM PN matching (wildcards allowed)
    std::string date_from;     // YYYYMMDD, either may be empty
    std::string date_to;
    std::string modality;      // "CT"
    int limit = 0;             // 0: no limit asked for
};

struct StudyMatch {
    std::string study_uid, patient_id, patient_name, date /* YYYYMMDD */, description, accession;
    std::vector<std::string> modalities;
    int series = -1, instances = -1;  // -1: the node did not say
};

struct SeriesMatch {
    std::string series_uid, modality, description;
    int number = -1, instances = -1;
};

struct RetrieveProgress {
    std::int64_t bytes = 0;       // received so far
    int instances_done = 0;       // stored + skipped
    int instances_expected = -1;  // when known
};

struct RetrieveOptions {
    // True when the instance (SOPInstanceUID) is already held: it is not fetched again.
    std::function<bool(const std::string& series_uid, const std::string& sop_instance_uid)> have;
    std::function<void(const RetrieveProgress&)> progress;  // on the calling thread
    const std::atomic<bool>* cancel = nullptr;               // set from any thread or a signal handler
};

struct RetrievedInstance {
    std::string study_uid, series_uid, sop_instance_uid;
    std::filesystem::path file;  // in the folder given to retrieve
};

struct RetrieveResult {
    std::vector<RetrievedInstance> stored;
    int skipped = 0;            // already held (RetrieveOptions::have)
    std::int64_t bytes = 0;
};

struct StoreResult {
    int sent = 0;
    std::vector<std::string> failures;  // "file: reason"
};

class Client {
public:
    virtual ~Client() = default;
    // Is the node there and does it accept us? Throws PacsError when not.
    virtual void echo() = 0;
    virtual std::vector<StudyMatch> find_studies(const StudyQuery& query) = 0;
    virtual std::vector<SeriesMatch> find_series(const std::string& study_uid) = 0;
    // Every series of the study (or one series) into `folder`. Throws decision::NotFound when the
    // node has no such study/series, PacsError on failure; files already renamed into `folder`
    // stay there (the caller owns the folder and removes it on failure).
    virtual RetrieveResult retrieve(const std::string& study_uid, const std::string& series_uid,
                                    const std::filesystem::path& folder, const RetrieveOptions& options) = 0;
    virtual StoreResult store(const std::vector<std::filesystem::path>& files) = 0;
};

// Timeouts: connecting fails within `connect_timeout_s`; a transfer that stalls for
// `stall_timeout_s` is abandoned.
struct ClientSettings {
    int connect_timeout_s = 10;
    int stall_timeout_s = 30;
};

std::unique_ptr<Client> connect(const decision::PacsNode& node, const ClientSettings& settings = {});

// "AET@HOST:PORT" -> called AET, host, port; throws std::invalid_argument naming what is wrong.
struct DimseAddress {
    std::string aet, host;
    int port = 0;
};
DimseAddress parse_dimse_address(const std::string& text);

// Checks a staged instance: it parses as a DICOM file (structure complete, no value longer than
// the file) and has SOP Instance, Series and Study UIDs. Throws PacsError(corrupt) naming the file.
RetrievedInstance check_instance_file(const std::filesystem::path& file);

// Resuming a retrieve into the same folder: true when `folder` holds this instance complete
// (<SOPInstanceUID>.dcm that parses and carries that UID). A partial or unreadable file there is
// removed, so the instance is fetched again. Meant for RetrieveOptions::have.
bool staged_instance_complete(const std::filesystem::path& folder, const std::string& sop_instance_uid);

}  // namespace consilium::pacs
