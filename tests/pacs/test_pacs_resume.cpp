// Retrieval that is interrupted and repeated into the same folder fetches only what is missing
// (both protocols against a real Orthanc), and a node that never answers the connection gives a
// clear error within 15 s.
#include "series.h"

#include "consilium/pacs/client.h"

#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <set>

namespace {

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test::pacs;
using consilium::test::ScratchDir;
using pacs::PacsError;

std::uintmax_t size_of(const std::vector<pacs::RetrievedInstance>& instances) {
    std::uintmax_t n = 0;
    for (const auto& i : instances) n += fs::file_size(i.file);
    return n;
}

// Cancelled after 10 of 30 instances, one kept file cut short (as a crash while writing would
// leave it), then retrieved again into the same folder: only the 20 missing plus the cut one
// cross the wire, and the folder ends up with every instance once, voxel for voxel.
BOOST_AUTO_TEST_CASE(interrupted_retrieve_resumes_per_instance) {
    ScratchDir dir("pacs-resume");
    Orthanc orthanc;
    constexpr int kSlices = 30;
    // Large enough that the transfer spans many reads, so a cancel lands mid-series.
    auto series = uploaded_series(orthanc, dir / "local", kSlices, 512, 512);
    for (const auto& node : {orthanc.dimse_node(), orthanc.web_node()}) {
        BOOST_TEST_CONTEXT(node.protocol) {
            const fs::path staging = dir / ("staged-" + node.protocol);
            std::atomic<bool> cancel{false};
            pacs::RetrieveOptions first;
            first.cancel = &cancel;
            first.progress = [&](const pacs::RetrieveProgress& p) {
                if (p.instances_done >= 10) cancel = true;
            };
            try {
                pacs::connect(node)->retrieve(series.spec.study_uid, "", staging, first);
                BOOST_ERROR("the cancelled retrieve completed");
            } catch (const PacsError& e) {
                BOOST_TEST((e.kind() == PacsError::Kind::cancelled), e.what());
            }
            const auto kept = files_in(staging, ".dcm");
            BOOST_TEST_MESSAGE(node.protocol << ": " << kept << " instance(s) kept after the cancel");
            BOOST_REQUIRE(kept >= 10u);
            BOOST_REQUIRE(kept < static_cast<std::size_t>(kSlices));
            BOOST_TEST(files_in(staging, ".part") == 0u);

            std::set<std::string> complete;
            fs::path cut;
            for (const auto& e : fs::directory_iterator(staging)) {
                if (cut.empty()) cut = e.path();
                else complete.insert(e.path().stem().string());
            }
            fs::resize_file(cut, fs::file_size(cut) / 2);

            pacs::RetrieveOptions again;
            again.have = [&](const std::string&, const std::string& sop) {
                return pacs::staged_instance_complete(staging, sop);
            };
            auto got = pacs::connect(node)->retrieve(series.spec.study_uid, "", staging, again);
            BOOST_TEST(got.skipped == static_cast<int>(complete.size()));
            BOOST_TEST(got.stored.size() == kSlices - complete.size());
            bool cut_fetched = false;
            for (const auto& i : got.stored) {
                BOOST_TEST(complete.count(i.sop_instance_uid) == 0u, "fetched again: " << i.sop_instance_uid);
                cut_fetched = cut_fetched || i.sop_instance_uid == cut.stem().string();
            }
            BOOST_TEST(cut_fetched);
            // What crossed the wire is about the size of what was missing, not of the whole series.
            const auto missing_bytes = size_of(got.stored);
            const auto all_bytes = missing_bytes * kSlices / got.stored.size();
            BOOST_TEST_MESSAGE(node.protocol << ": " << got.bytes << " bytes received for " << missing_bytes
                                             << " bytes of missing instances");
            BOOST_TEST(static_cast<std::uintmax_t>(got.bytes) < missing_bytes + all_bytes / 10);
            BOOST_TEST(files_in(staging, ".dcm") == static_cast<std::size_t>(kSlices));
            BOOST_TEST(files_in(staging, ".part") == 0u);
            check_same_volume(series.folder, staging);
        }
    }
}

// A listening socket whose accept queue is full: the kernel answers no further connection
// attempt, as a node behind a firewall that drops packets. Nothing is ever accepted or sent.
class SilentListener {
public:
    SilentListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        BOOST_REQUIRE(::listen(fd_, 0) == 0);
        BOOST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port_ = ntohs(a.sin_port);
        for (int k = 0; k < 3; ++k) {  // fill the queue (backlog 0 still queues one)
            int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            (void)::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
            fillers_.push_back(c);
        }
        ::usleep(200 * 1000);
    }
    ~SilentListener() {
        for (int c : fillers_) ::close(c);
        ::close(fd_);
    }
    int port() const { return port_; }

private:
    int fd_ = -1, port_ = 0;
    std::vector<int> fillers_;
};

BOOST_AUTO_TEST_CASE(silent_node_times_out_connecting_within_15_seconds) {
    SilentListener silent;
    decision::PacsNode web{0, "silent-web", "dicomweb", "http://127.0.0.1:" + std::to_string(silent.port()) + "/dicom-web"};
    decision::PacsNode dimse;
    dimse.name = "silent-dimse";
    dimse.protocol = "dimse";
    dimse.called_aet = "PACS";
    dimse.host = "127.0.0.1";
    dimse.port = silent.port();
    dimse.calling_aet = "CONSILIUM";
    pacs::ClientSettings settings;
    settings.connect_timeout_s = 3;  // the default is 10; the test need not wait that long
    for (const auto& node : {web, dimse}) {
        for (const auto& s : {settings, pacs::ClientSettings{}}) {
            BOOST_TEST_CONTEXT(node.protocol << ", connect timeout " << s.connect_timeout_s << " s") {
                const auto start = std::chrono::steady_clock::now();
                try {
                    pacs::connect(node, s)->find_studies({});
                    BOOST_ERROR("a query of a silent node succeeded");
                } catch (const PacsError& e) {
                    const std::string what = e.what();
                    BOOST_TEST_MESSAGE(what);
                    BOOST_TEST((e.kind() == PacsError::Kind::unreachable), what);
                    BOOST_TEST(what.find(node.name) != std::string::npos, what);
                }
                const auto took = std::chrono::steady_clock::now() - start;
                BOOST_TEST((took < std::chrono::seconds(15)));
                BOOST_TEST((took >= std::chrono::seconds(s.connect_timeout_s) - std::chrono::milliseconds(500)),
                           "gave up before the connect timeout");
            }
        }
    }
}

}  // namespace
