// consilium-cli pacs ... end to end: nodes and roles, search and retrieve into a workspace
// through both protocols against a real Orthanc, and failures that must leave nothing behind.
#include "../cli/cli_harness.h"
#include "series.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace consilium::test::clitest;
using namespace consilium::test::pacs;

// Adds a radiologist to the team (password rad-pw).
void add_radiologist(const Team& t) {
    REQUIRE_EXIT(t.cli.run({"user", "add", "rad", "--role", "radiologist"}, "admin", "admin-pw", "rad-pw\n"), 0);
}

bool nothing_staged(const Team& t) { return !fs::exists(t.cli.workspace / ".staging"); }

BOOST_AUTO_TEST_CASE(nodes_roles_and_secrets) {
    Team t;
    const std::string url = "http://127.0.0.1:9/dicom-web";
    CHECK_EXIT(t.as("doc", {"pacs", "add", "web", "--dicomweb", url}), 3);
    CHECK_EXIT(t.as("dev", {"pacs", "add", "web", "--dicomweb", url}), 3);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "web", "--dicomweb", url, "--username", "alice"}, "s3cret-pw\n"), 0);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "dimse", "--dimse", "ORTHANC@127.0.0.1:4242", "--calling-aet", "ME"}), 0);
    CHECK_EXIT(t.as("admin", {"pacs", "add", "web", "--dicomweb", url}), 2);          // name taken
    CHECK_EXIT(t.as("admin", {"pacs", "add", "x", "--dimse", "ORTHANC@host"}), 2);    // no port
    CHECK_EXIT(t.as("admin", {"pacs", "add", "x", "--dicomweb", "ftp://a/b"}), 2);    // not http(s)
    CHECK_EXIT(t.as("admin", {"pacs", "add", "x"}), 2);                               // no protocol
    auto list = t.json_as("doc", {"pacs", "list"});
    BOOST_REQUIRE_EQUAL(list.size(), 2u);
    BOOST_TEST(list[0]["name"] == "dimse");
    BOOST_TEST(list[0]["aet"] == "ORTHANC");
    BOOST_TEST(list[0]["port"] == 4242);
    BOOST_TEST(list[0]["calling_aet"] == "ME");
    BOOST_TEST(list[1]["auth"] == "basic");
    BOOST_TEST(list[1]["username"] == "alice");
    BOOST_TEST(list.dump().find("s3cret") == std::string::npos);
    auto text = t.as("doc", {"pacs", "list"});
    BOOST_TEST(text.out.find("s3cret") == std::string::npos);
    auto log = t.audit_log();
    BOOST_TEST(log.dump().find("s3cret") == std::string::npos);
    auto actions = actions_of(log);
    BOOST_TEST(std::count(actions.begin(), actions.end(), "pacs.add") == 2);
    CHECK_EXIT(t.as("doc", {"pacs", "echo", "nowhere"}), 4);
}

BOOST_AUTO_TEST_CASE(retrieve_through_both_protocols_into_the_workspace) {
    Team t;
    add_radiologist(t);
    Orthanc orthanc;
    auto series = uploaded_series(orthanc, t.dir / "local", 16, 48, 40);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "web", "--dicomweb", orthanc.dicomweb_url()}), 0);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "dimse", "--dimse", "ORTHANC@127.0.0.1:" + std::to_string(orthanc.dicom_port()),
                                "--calling-aet", "CONSILIUM"}),
                 0);
    for (const std::string node : {"web", "dimse"}) {
        BOOST_TEST_CONTEXT(node) {
            CHECK_EXIT(t.cli.run({"pacs", "echo", node}, "rad", "rad-pw"), 0);
            auto found = t.cli.json_of({"pacs", "query", node, "--patient-id", series.spec.patient_id, "--modality", "CT",
                                        "--date", "20240101-20240201"},
                                       "rad", "rad-pw");
            BOOST_REQUIRE_EQUAL(found.size(), 1u);
            BOOST_TEST(found[0]["study_uid"] == series.spec.study_uid);
            BOOST_TEST(found[0]["patient_id"] == series.spec.patient_id);
            BOOST_TEST(found[0]["date"] == "2024-01-02");
            BOOST_TEST(found[0]["modalities"] == json::array({"CT"}));
            BOOST_TEST(found[0]["series"] == 1);
            BOOST_TEST(found[0]["instances"] == 16);
        }
    }
    auto first = t.cli.json_of({"pacs", "retrieve", "web", series.spec.study_uid}, "rad", "rad-pw");
    BOOST_TEST(first["instances_received"] == 16);
    BOOST_TEST(first["added"]["instances"] == 16);
    BOOST_TEST(nothing_staged(t));
    auto local = t.cli.json_of({"volume", series.folder.string()}, "rad", "rad-pw");
    auto stored = t.cli.json_of({"volume", "--series", series.spec.series_uid}, "rad", "rad-pw");
    for (const char* k : {"dims", "spacing", "origin", "direction", "min", "max", "mean"}) BOOST_TEST(local[k] == stored[k], k);

    // The same study again, through the other protocol: nothing fetched, nothing doubled.
    auto second = t.cli.json_of({"pacs", "retrieve", "dimse", series.spec.study_uid}, "rad", "rad-pw");
    BOOST_TEST(second["instances_received"] == 0);
    BOOST_TEST(second["instances_skipped"] == 16);
    auto third = t.cli.json_of({"pacs", "retrieve", "web", series.spec.study_uid}, "rad", "rad-pw");
    BOOST_TEST(third["instances_skipped"] == 16);
    auto patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    BOOST_TEST(patients[0]["studies"] == 1);
    BOOST_TEST(files_in(t.cli.workspace / "images", ".dcm") == 16u);
    BOOST_TEST(nothing_staged(t));

    // A workspace where only the DIMSE node is used gets the same voxels.
    Team other;
    add_radiologist(other);
    REQUIRE_EXIT(other.as("admin", {"pacs", "add", "dimse", "--dimse",
                                    "ORTHANC@127.0.0.1:" + std::to_string(orthanc.dicom_port())}),
                 0);
    auto via_dimse = other.cli.json_of({"pacs", "retrieve", "dimse", series.spec.study_uid}, "rad", "rad-pw");
    BOOST_TEST(via_dimse["instances_received"] == 16);
    auto stored_dimse = other.cli.json_of({"volume", "--series", series.spec.series_uid}, "rad", "rad-pw");
    for (const char* k : {"dims", "spacing", "origin", "direction", "min", "max", "mean"}) BOOST_TEST(local[k] == stored_dimse[k], k);

    CHECK_EXIT(t.cli.run({"pacs", "retrieve", "web", "1.2.3.4.5.6.7.8.9"}, "rad", "rad-pw"), 4);
    CHECK_EXIT(t.cli.run({"pacs", "retrieve", "dimse", "1.2.3.4.5.6.7.8.9"}, "rad", "rad-pw"), 4);
    auto log = t.audit_log();
    auto actions = actions_of(log);
    BOOST_TEST(std::count(actions.begin(), actions.end(), "pacs.retrieve") == 5);
    BOOST_TEST(std::count(actions.begin(), actions.end(), "import.dicom") >= 1);
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_CASE(unreachable_node_gives_a_message_within_15_seconds) {
    Team t;
    const int port = free_port();
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "web", "--dicomweb", "http://127.0.0.1:" + std::to_string(port) + "/dicom-web"}), 0);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "dimse", "--dimse", "PACS@127.0.0.1:" + std::to_string(port)}), 0);
    for (const std::string node : {"web", "dimse"}) {
        for (const std::vector<std::string>& cmd : {std::vector<std::string>{"pacs", "echo", node},
                                                   std::vector<std::string>{"pacs", "query", node, "--patient-id", "x"},
                                                   std::vector<std::string>{"pacs", "retrieve", node, "1.2.3"}}) {
            auto start = std::chrono::steady_clock::now();
            auto r = t.as("doc", cmd);
            BOOST_TEST(r.exit_code != 0, joined(cmd));
            BOOST_TEST(r.exit_code < 124);
            CHECK_CONTAINS(r.err, "cannot connect");
            BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(15)));
        }
    }
    BOOST_TEST(nothing_staged(t));
}

BOOST_AUTO_TEST_CASE(wrong_credentials_in_the_cli) {
    Team t;
    OrthancOptions options;
    options.users = {{"alice", "right-pw"}};
    Orthanc orthanc(options);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "good", "--dicomweb", orthanc.dicomweb_url(), "--username", "alice"}, "right-pw\n"), 0);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "bad", "--dicomweb", orthanc.dicomweb_url(), "--username", "alice"}, "wrong-pw\n"), 0);
    CHECK_EXIT(t.as("doc", {"pacs", "echo", "good"}), 0);
    auto r = t.as("doc", {"pacs", "echo", "bad"});
    BOOST_TEST(r.exit_code == 2);
    CHECK_CONTAINS(r.err, "authentication failed");
    BOOST_TEST(r.err.find("wrong-pw") == std::string::npos);
}

// A fake DICOMweb server that lists one series and then sends its instances wrongly: cut off
// after one and a half instances (the server "dies"), or with a corrupt second instance.
class BrokenServer {
public:
    enum class Mode { dies_mid_transfer, corrupt_instance };
    BrokenServer(Mode mode, std::vector<std::string> files, std::string series_uid, std::vector<std::string> sops)
        : mode_(mode), files_(std::move(files)), series_uid_(std::move(series_uid)), sops_(std::move(sops)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        BOOST_REQUIRE(::listen(fd_, 8) == 0);
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~BrokenServer() {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/dicom-web"; }

private:
    static void send_all(int c, const std::string& data) {
        std::size_t at = 0;
        while (at < data.size()) {
            auto n = ::send(c, data.data() + at, data.size() - at, MSG_NOSIGNAL);
            if (n <= 0) return;
            at += static_cast<std::size_t>(n);
        }
    }
    void serve() {
        while (!stop_) {
            int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                auto n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            auto path = request.substr(0, request.find("\r\n"));
            auto json_reply = [&](const json& j) {
                auto body = j.dump();
                send_all(c, "HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            };
            if (path.find("/instances") != std::string::npos) {
                json list = json::array();
                for (const auto& s : sops_) list.push_back({{"00080018", {{"vr", "UI"}, {"Value", {s}}}}});
                json_reply(list);
            } else if (path.find("/series ") != std::string::npos || path.find("/series?") != std::string::npos) {
                json_reply(json::array({{{"0020000E", {{"vr", "UI"}, {"Value", {series_uid_}}}},
                                         {"00201209", {{"vr", "IS"}, {"Value", {static_cast<int>(files_.size())}}}}}}));
            } else {
                std::string body = "--B\r\nContent-Type: application/dicom\r\n\r\n" + files_[0] + "\r\n";
                if (mode_ == Mode::dies_mid_transfer) {
                    body += "--B\r\nContent-Type: application/dicom\r\n\r\n" + files_[1].substr(0, files_[1].size() / 2);
                } else {
                    body += "--B\r\nContent-Type: application/dicom\r\n\r\n" + std::string(5000, 'x') + "\r\n--B--\r\n";
                }
                send_all(c, "HTTP/1.1 200 OK\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=B\r\n"
                            "Connection: close\r\n\r\n" + body);
            }
            ::close(c);
        }
    }
    Mode mode_;
    std::vector<std::string> files_;
    std::string series_uid_;
    std::vector<std::string> sops_;
    int fd_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

BOOST_AUTO_TEST_CASE(failed_transfer_leaves_nothing_behind) {
    for (auto mode : {BrokenServer::Mode::dies_mid_transfer, BrokenServer::Mode::corrupt_instance}) {
        Team t;
        consilium::test::dicom::SeriesSpec spec;
        spec.slices = 3;
        auto paths = consilium::test::dicom::write_series(t.dir / "local", spec);
        std::vector<std::string> files, sops;
        for (const auto& p : paths) files.push_back(consilium::test::read_file(p));
        for (int k = 0; k < 3; ++k) sops.push_back("9.9." + std::to_string(k));  // what the listing claims
        BrokenServer server(mode, files, spec.series_uid, sops);
        REQUIRE_EXIT(t.as("admin", {"pacs", "add", "broken", "--dicomweb", server.url()}), 0);
        auto r = t.as("doc", {"pacs", "retrieve", "broken", spec.study_uid});
        BOOST_TEST(r.exit_code == 2, shown(r));
        CHECK_CONTAINS(r.err, mode == BrokenServer::Mode::dies_mid_transfer ? "stopped sending" : "not a readable DICOM");
        BOOST_TEST(nothing_staged(t));
        BOOST_TEST(files_in(t.cli.workspace, ".dcm") == 0u);
        BOOST_TEST(t.patients().empty());
        auto log = t.audit_log();
        bool failed_entry = false;
        for (const auto& e : log)
            if (e["action"] == "pacs.retrieve") failed_entry = e["details"]["status"] == "failed";
        BOOST_TEST(failed_entry);
    }
}

}  // namespace
