#include "orthanc.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace consilium::test::pacs {
namespace fs = std::filesystem;

int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) throw std::runtime_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(s);
        throw std::runtime_error("bind to port 0");
    }
    int port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

namespace {

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// HTTP status of a GET (0 when nothing answers).
long http_status(const std::string& url, const std::string& userpwd = "") {
    CURL* c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!userpwd.empty()) curl_easy_setopt(c, CURLOPT_USERPWD, userpwd.c_str());
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

}  // namespace

Orthanc::Orthanc(OrthancOptions options) : options_(std::move(options)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    http_ = free_port();
    dicom_ = free_port();
    while (dicom_ == http_) dicom_ = free_port();
    nlohmann::json config{
        {"Name", "CONSILIUM-TEST"},
        {"StorageDirectory", (dir_ / "db").string()},
        {"IndexDirectory", (dir_ / "db").string()},
        {"StorageCompression", false},
        {"Plugins", {"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"}},
        {"HttpServerEnabled", true},
        {"HttpPort", http_},
        {"RemoteAccessAllowed", false},
        {"AuthenticationEnabled", !options_.users.empty()},
        {"DicomServerEnabled", true},
        {"DicomAet", "ORTHANC"},
        {"DicomPort", dicom_},
        {"DicomCheckCalledAet", false},
        {"DicomAlwaysAllowEcho", true},
        {"DicomAlwaysAllowStore", false},
        {"DicomAlwaysAllowFind", false},
        {"DicomAlwaysAllowGet", false},
        {"DicomModalities", {{"consilium", {options_.calling_aet, "127.0.0.1", free_port()}}}},
        {"DicomWeb", {{"Enable", true}, {"Root", "/dicom-web/"}}},
        {"StableAge", 2},
        {"SaveJobs", false},
        {"HttpTimeout", 10},
    };
    if (!options_.users.empty()) config["RegisteredUsers"] = options_.users;
    write_file(dir_ / "orthanc.json", config.dump(2));
    const std::string log = (dir_ / "orthanc.log").string();
    const std::string conf = (dir_ / "orthanc.json").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> env_strings{"TCP_NODELAY=1"};
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("TCP_NODELAY=", 0) != 0) env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string program = "Orthanc";
    std::vector<char*> argv{program.data(), const_cast<char*>(conf.c_str()), nullptr};
    int rc = posix_spawnp(&pid_, "Orthanc", &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start Orthanc (Debian packages orthanc, orthanc-dicomweb)");
    }
    wait_until_up();
}

Orthanc::~Orthanc() { stop(); }

void Orthanc::wait_until_up() {
    const std::string userpwd =
        options_.users.empty() ? "" : options_.users.begin()->first + ":" + options_.users.begin()->second;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("Orthanc exited at start-up: " + log());
        }
        if (http_status("http://127.0.0.1:" + std::to_string(http_) + "/system", userpwd) == 200) {
            // The DICOM port opens at about the same time; make sure.
            for (int i = 0; i < 100; ++i) {
                int s = ::socket(AF_INET, SOCK_STREAM, 0);
                sockaddr_in a{};
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                a.sin_port = htons(static_cast<uint16_t>(dicom_));
                bool up = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
                ::close(s);
                if (up) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    throw std::runtime_error("Orthanc did not answer within 20 s: " + log());
}

void Orthanc::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
}

void Orthanc::kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string Orthanc::log() const {
    std::ifstream in(dir_ / "orthanc.log");
    std::stringstream s;
    s << in.rdbuf();
    auto t = s.str();
    return t.size() > 2000 ? t.substr(t.size() - 2000) : t;
}

decision::PacsNode Orthanc::web_node(const std::string& name) const {
    decision::PacsNode n;
    n.name = name;
    n.protocol = "dicomweb";
    n.url = dicomweb_url();
    if (!options_.users.empty()) {
        n.username = options_.users.begin()->first;
        n.password = options_.users.begin()->second;
    }
    return n;
}

decision::PacsNode Orthanc::dimse_node(const std::string& name) const {
    decision::PacsNode n;
    n.name = name;
    n.protocol = "dimse";
    n.called_aet = "ORTHANC";
    n.host = "127.0.0.1";
    n.port = dicom_;
    n.calling_aet = options_.calling_aet;
    return n;
}

int Orthanc::upload(const std::vector<fs::path>& files) const {
    int accepted = 0;
    CURL* c = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Expect:");
    const std::string url = "http://127.0.0.1:" + std::to_string(http_) + "/instances";
    const std::string userpwd =
        options_.users.empty() ? "" : options_.users.begin()->first + ":" + options_.users.begin()->second;
    for (const auto& f : files) {
        std::string body = read_file(f);
        curl_easy_reset(c);
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        if (!userpwd.empty()) curl_easy_setopt(c, CURLOPT_USERPWD, userpwd.c_str());
        long status = 0;
        if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status == 200) ++accepted;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return accepted;
}

}  // namespace consilium::test::pacs
