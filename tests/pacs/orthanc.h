#pragma once
// A real Orthanc for the PACS tests: started on 127.0.0.1 with free ports, its own temporary
// configuration and storage, the DICOMweb plugin, and our calling AE title registered so C-GET
// and C-STORE are allowed. Stopped (SIGTERM, then waited for) when the object dies.
#include "test_support.h"

#include "consilium/decision/pacs_node_record.h"

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace consilium::test::pacs {

// A TCP port nothing listens on right now (bound to port 0, then released).
int free_port();

struct OrthancOptions {
    std::map<std::string, std::string> users;  // with any: AuthenticationEnabled and RegisteredUsers
    std::string calling_aet = "CONSILIUM";
};

class Orthanc {
public:
    explicit Orthanc(OrthancOptions options = {});
    ~Orthanc();
    Orthanc(const Orthanc&) = delete;
    Orthanc& operator=(const Orthanc&) = delete;

    int http_port() const { return http_; }
    int dicom_port() const { return dicom_; }
    std::string dicomweb_url() const { return "http://127.0.0.1:" + std::to_string(http_) + "/dicom-web"; }

    // Nodes for the client library (credentials of the first registered user, if any).
    decision::PacsNode web_node(const std::string& name = "web") const;
    decision::PacsNode dimse_node(const std::string& name = "dimse") const;

    // Uploads files through Orthanc's REST API; returns how many it accepted.
    int upload(const std::vector<std::filesystem::path>& files) const;

    void kill_now();  // SIGKILL, waited for: the server dies mid-whatever
    void stop();      // SIGTERM, waited for
    bool running() const { return pid_ > 0; }
    std::string log() const;

private:
    void wait_until_up();
    OrthancOptions options_;
    ScratchDir dir_{"orthanc"};
    int http_ = 0, dicom_ = 0;
    pid_t pid_ = -1;
};

}  // namespace consilium::test::pacs
