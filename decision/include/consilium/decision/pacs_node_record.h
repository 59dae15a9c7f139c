#pragma once
// A PACS node as stored in the workspace: plain data (pacs_nodes.h holds what may be done with it).
#include <cstdint>
#include <string>

namespace consilium::decision {

// Where images can be searched and retrieved from. DICOMweb nodes have a base URL
// (".../dicom-web"); DIMSE nodes an AE title, host and port, plus the AE title we call as.
// Credentials are kept because they are needed to connect; they are never printed or audited.
struct PacsNode {
    std::int64_t id = 0;
    std::string name;          // the admin's name for it: "web", "hospital-pacs"
    std::string protocol;      // "dicomweb" | "dimse"
    std::string url;           // dicomweb: base URL
    std::string called_aet;    // dimse: the node's AE title
    std::string host;          // dimse
    int port = 0;              // dimse
    std::string calling_aet;   // dimse: ours
    std::string username;      // dicomweb basic auth (empty: none)
    std::string password;      // secret
    std::string bearer_token;  // secret; dicomweb bearer auth (empty: none)
    std::string ca_file;       // extra CA bundle for TLS (empty: the system's)
    bool verify_tls = true;
    std::string added_by, added_at;
};

}  // namespace consilium::decision
