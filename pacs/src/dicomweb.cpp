// DICOMweb over libcurl: QIDO-RS search, WADO-RS retrieve streamed to disk, STOW-RS upload.
#include "internal.h"
#include "qido_json.h"

#include "consilium/decision/errors.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>

namespace consilium::pacs::detail {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append(Slist& list, const std::string& header) {
    auto* l = curl_slist_append(list.get(), header.c_str());
    if (!l) throw std::bad_alloc();
    (void)list.release();
    list.reset(l);
}

// One request's state, reached from curl's callbacks.
struct Exchange {
    std::string content_type;
    std::string body;                         // small bodies (JSON, errors)
    std::size_t body_limit = 64 * 1024 * 1024;
    std::function<void(const char*, std::size_t)> sink;  // set: the body is streamed here
    std::exception_ptr error;                 // thrown inside a callback, rethrown after perform
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(std::int64_t)> progress;
    std::int64_t received = 0;
    bool cancelled = false;
};

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* ex = static_cast<Exchange*>(user);
    std::string_view line(data, size * n);
    if (line.size() > 13) {
        std::string head(line.substr(0, 13));
        std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
        if (head == "content-type:") {
            auto v = line.substr(13);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
            while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
            ex->content_type = std::string(v);
        }
    }
    if (line.rfind("HTTP/", 0) == 0) ex->content_type.clear();  // a new response (after 100 Continue, redirects)
    return size * n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* ex = static_cast<Exchange*>(user);
    const std::size_t len = size * n;
    ex->received += static_cast<std::int64_t>(len);
    try {
        if (ex->sink) {
            ex->sink(data, len);
        } else {
            if (ex->body.size() + len > ex->body_limit)
                throw PacsError(PacsError::Kind::protocol, "the node's answer is larger than expected");
            ex->body.append(data, len);
        }
    } catch (...) {
        ex->error = std::current_exception();
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* ex = static_cast<Exchange*>(user);
    if (ex->cancel && ex->cancel->load()) {
        ex->cancelled = true;
        return 1;
    }
    if (ex->progress) ex->progress(ex->received);
    return 0;
}


class DicomWebClient final : public Client {
public:
    DicomWebClient(decision::PacsNode node, ClientSettings settings) : node_(std::move(node)), settings_(settings) {
        global_init();
        base_ = node_.url;
        while (!base_.empty() && base_.back() == '/') base_.pop_back();
    }

    void echo() override {
        // The cheapest QIDO-RS request every server answers: one study at most.
        get_json(base_ + "/studies?limit=1", "echo");
    }

    std::vector<StudyMatch> find_studies(const StudyQuery& q) override {
        std::string url = base_ + "/studies?includefield=00081030&includefield=00080061&includefield=00201206"
                                  "&includefield=00201208&includefield=00080050";
        auto add = [&](const char* key, const std::string& value) {
            if (!value.empty()) url += std::string("&") + key + "=" + escape_query_value(value);
        };
        add("PatientID", q.patient_id);
        add("PatientName", q.patient_name);
        if (!q.date_from.empty() || !q.date_to.empty()) add("StudyDate", q.date_from + "-" + q.date_to);
        add("ModalitiesInStudy", q.modality);
        if (q.limit > 0) add("limit", std::to_string(q.limit));
        auto answer = get_json(url, "study search");
        std::vector<StudyMatch> out;
        for (const auto& d : answer) {
            StudyMatch m;
            m.study_uid = first_string(d, "0020000D");
            m.patient_id = first_string(d, "00100020");
            m.patient_name = first_string(d, "00100010");
            m.date = first_string(d, "00080020");
            m.description = first_string(d, "00081030");
            m.accession = first_string(d, "00080050");
            m.modalities = all_strings(d, "00080061");
            m.series = number(d, "00201206");
            m.instances = number(d, "00201208");
            if (!m.study_uid.empty()) out.push_back(std::move(m));
        }
        return out;
    }

    std::vector<SeriesMatch> find_series(const std::string& study_uid) override {
        auto answer = get_json(base_ + "/studies/" + escape(study_uid) +
                                   "/series?includefield=0008103E&includefield=00200011&includefield=00201209",
                               "series search", true);
        std::vector<SeriesMatch> out;
        for (const auto& d : answer) {
            SeriesMatch m;
            m.series_uid = first_string(d, "0020000E");
            m.modality = first_string(d, "00080060");
            m.description = first_string(d, "0008103E");
            m.number = number(d, "00200011");
            m.instances = number(d, "00201209");
            if (!m.series_uid.empty()) out.push_back(std::move(m));
        }
        return out;
    }

    RetrieveResult retrieve(const std::string& study_uid, const std::string& series_uid, const fs::path& folder,
                            const RetrieveOptions& options) override {
        std::vector<SeriesMatch> series;
        if (series_uid.empty()) {
            series = find_series(study_uid);
        } else {
            for (auto& s : find_series(study_uid))
                if (s.series_uid == series_uid) series.push_back(s);
        }
        if (series.empty())
            throw decision::NotFound("the PACS node '" + node_.name + "' has no " +
                                     (series_uid.empty() ? "study " + study_uid : "series " + series_uid));
        fs::create_directories(folder);
        RetrieveResult result;
        RetrieveProgress progress;
        progress.instances_expected = 0;
        for (const auto& s : series) progress.instances_expected += std::max(0, s.instances);
        auto report = [&] {
            if (options.progress) options.progress(progress);
        };
        for (const auto& s : series) {
            const std::string series_url = base_ + "/studies/" + escape(study_uid) + "/series/" + escape(s.series_uid);
            std::vector<std::string> wanted;  // empty: the whole series in one request
            if (options.have) {
                auto instances = get_json(series_url + "/instances", "instance search");
                std::vector<std::string> all;
                for (const auto& d : instances)
                    if (auto sop = first_string(d, "00080018"); !sop.empty()) all.push_back(sop);
                for (const auto& sop : all)
                    if (!options.have(s.series_uid, sop)) wanted.push_back(sop);
                int skipped = static_cast<int>(all.size() - wanted.size());
                result.skipped += skipped;
                progress.instances_done += skipped;
                if (wanted.empty() && !all.empty()) {
                    report();
                    continue;
                }
                if (wanted.size() == all.size()) wanted.clear();
            }
            auto on_part = [&](RetrievedInstance instance) {
                ++progress.instances_done;
                result.stored.push_back(std::move(instance));
                report();
            };
            if (wanted.empty()) {
                fetch_multipart(series_url, folder, on_part, options, progress, result);
            } else {
                for (const auto& sop : wanted)
                    fetch_multipart(series_url + "/instances/" + escape(sop), folder, on_part, options, progress, result);
            }
            report();
        }
        return result;
    }

    StoreResult store(const std::vector<fs::path>& files) override {
        // STOW-RS: one multipart/related request per batch of files, streamed from disk.
        StoreResult result;
        constexpr std::size_t kBatch = 50;
        for (std::size_t first = 0; first < files.size(); first += kBatch) {
            std::vector<fs::path> batch(files.begin() + static_cast<std::ptrdiff_t>(first),
                                        files.begin() + static_cast<std::ptrdiff_t>(std::min(files.size(), first + kBatch)));
            stow(batch, result);
        }
        return result;
    }

private:
    // The wildcards * and ? and the list separator , are legal in a URI query (RFC 3986) and are
    // sent as they are: Orthanc 1.10's QIDO-RS does not percent-decode query values, so
    // "PatientID=CS%2A" would match only a literal "CS%2A".
    std::string escape_query_value(const std::string& value) {
        std::string e = escape(value), out;
        for (std::size_t i = 0; i < e.size(); ++i) {
            const std::string_view code = e[i] == '%' ? std::string_view(e).substr(i, 3) : std::string_view();
            if (code == "%2A" || code == "%3F" || code == "%2C") {
                out += code == "%2A" ? '*' : code == "%3F" ? '?' : ',';
                i += 2;
            } else {
                out += e[i];
            }
        }
        return out;
    }

    std::string escape(const std::string& value) {
        std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
        char* e = curl_easy_escape(c.get(), value.c_str(), static_cast<int>(value.size()));
        std::string out = e ? e : "";
        curl_free(e);
        return out;
    }

    std::unique_ptr<CURL, CurlDeleter> handle(const std::string& url, Exchange& ex, Slist& headers) {
        std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
        if (!c) throw std::bad_alloc();
        CURL* h = c.get();
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout_s));
        // A transfer slower than 1 byte/s for the stall time is abandoned.
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(settings_.stall_timeout_s));
        curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 512L * 1024L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, node_.verify_tls ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, node_.verify_tls ? 2L : 0L);
        if (!node_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, node_.ca_file.c_str());
        if (!node_.bearer_token.empty()) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
            curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, node_.bearer_token.c_str());
        } else if (!node_.username.empty()) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(h, CURLOPT_USERNAME, node_.username.c_str());
            curl_easy_setopt(h, CURLOPT_PASSWORD, node_.password.c_str());
        }
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
        append(headers, "Expect:");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
        return c;
    }

    // Runs the request; throws PacsError for transport failures and for HTTP status >= 400
    // (404 -> NotFound when `missing_is_not_found`). Returns the HTTP status.
    long perform(CURL* h, Exchange& ex, const std::string& what, bool missing_is_not_found = false) {
        CURLcode rc = curl_easy_perform(h);
        if (ex.error) std::rethrow_exception(ex.error);
        if (ex.cancelled) throw PacsError(PacsError::Kind::cancelled, what + " cancelled");
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        const std::string where = "PACS node '" + node_.name + "' (" + node_.url + "): ";
        if (rc != CURLE_OK) {
            std::string detail = curl_easy_strerror(rc);
            switch (rc) {
            case CURLE_COULDNT_CONNECT:
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_RESOLVE_PROXY:
                throw PacsError(PacsError::Kind::unreachable, where + "cannot connect (" + detail + ")");
            case CURLE_OPERATION_TIMEDOUT:
                throw PacsError(PacsError::Kind::unreachable,
                                where + (ex.received ? "the transfer stalled" : "no answer") + " (" + detail + ")");
            case CURLE_PEER_FAILED_VERIFICATION:
            case CURLE_SSL_CONNECT_ERROR:
            case CURLE_SSL_CERTPROBLEM:
            case CURLE_SSL_CACERT_BADFILE:
                throw PacsError(PacsError::Kind::tls, where + "TLS failed (" + detail + ")");
            default:
                throw PacsError(PacsError::Kind::protocol, where + what + " failed: " + detail +
                                                               (ex.received ? " after " + std::to_string(ex.received) +
                                                                                  " bytes (the connection broke)"
                                                                            : ""));
            }
        }
        if (status == 401 || status == 403)
            throw PacsError(PacsError::Kind::auth, where + "authentication failed (HTTP " + std::to_string(status) +
                                                       "): check the node's user name and password or token");
        if (status == 404 && missing_is_not_found) throw decision::NotFound(where + "not found: " + what);
        if (status >= 400)
            throw PacsError(PacsError::Kind::protocol,
                            where + what + " failed with HTTP " + std::to_string(status) +
                                (ex.body.empty() ? "" : ": " + ex.body.substr(0, 200)));
        return status;
    }

    json get_json(const std::string& url, const std::string& what, bool missing_is_not_found = false) {
        Exchange ex;
        Slist headers;
        append(headers, "Accept: application/dicom+json, application/json");
        auto c = handle(url, ex, headers);
        long status = perform(c.get(), ex, what, missing_is_not_found);
        if (status == 204 || ex.body.empty()) return json::array();
        auto j = json::parse(ex.body, nullptr, false);
        if (j.is_discarded() || !j.is_array())
            throw PacsError(PacsError::Kind::protocol, "PACS node '" + node_.name + "': the " + what +
                                                           " answer is not a DICOM JSON array");
        return j;
    }

    void fetch_multipart(const std::string& url, const fs::path& folder, const MultipartReader::PartDone& on_part,
                         const RetrieveOptions& options, RetrieveProgress& progress, RetrieveResult& result) {
        Exchange ex;
        Slist headers;
        append(headers, "Accept: multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        auto c = handle(url, ex, headers);
        std::unique_ptr<MultipartReader> reader;
        const std::int64_t before = progress.bytes;
        ex.sink = [&](const char* data, std::size_t size) {
            // Also here, not only in curl's progress callback: on a fast link curl reads many
            // chunks in one go before calling that, and a cancel should stop at the next instance.
            if (options.cancel && options.cancel->load()) throw PacsError(PacsError::Kind::cancelled, "retrieve cancelled");
            long status = 0;
            curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
            if (status >= 300) {  // an error page: keep it for the message
                if (ex.body.size() < 4096) ex.body.append(data, std::min<std::size_t>(size, 4096));
                return;
            }
            if (!reader) {
                if (ex.content_type.find("multipart/related") == std::string::npos)
                    throw PacsError(PacsError::Kind::protocol, "PACS node '" + node_.name + "' answered '" +
                                                                   ex.content_type + "' instead of multipart/related");
                reader = std::make_unique<MultipartReader>(multipart_boundary(ex.content_type), folder, on_part);
            }
            progress.bytes = before + ex.received;
            reader->feed(data, size);
        };
        ex.cancel = options.cancel;
        ex.progress = [&](std::int64_t received) {
            progress.bytes = before + received;
            if (options.progress) options.progress(progress);
        };
        perform(c.get(), ex, "retrieve", true);
        if (!reader) throw PacsError(PacsError::Kind::protocol, "PACS node '" + node_.name + "' sent no instances");
        reader->finish();
        progress.bytes = before + ex.received;
        result.bytes += ex.received;
    }

    // The body of one STOW-RS request, produced as curl asks for it.
    struct StowBody {
        std::vector<fs::path> files;
        std::string boundary;
        std::size_t index = 0;
        std::string prefix;  // pending delimiter/header bytes
        std::ifstream in;
        bool closed = false;
    };

    static std::size_t stow_read(char* buffer, std::size_t size, std::size_t n, void* user) {
        auto* b = static_cast<StowBody*>(user);
        const std::size_t room = size * n;
        std::size_t written = 0;
        while (written < room) {
            if (!b->prefix.empty()) {
                auto k = std::min(room - written, b->prefix.size());
                std::memcpy(buffer + written, b->prefix.data(), k);
                b->prefix.erase(0, k);
                written += k;
                continue;
            }
            if (b->in.is_open()) {
                b->in.read(buffer + written, static_cast<std::streamsize>(room - written));
                auto got = static_cast<std::size_t>(b->in.gcount());
                written += got;
                if (got == 0) {
                    if (b->in.bad()) return CURL_READFUNC_ABORT;
                    b->in.close();
                }
                continue;
            }
            if (b->index < b->files.size()) {
                b->prefix = "\r\n--" + b->boundary + "\r\nContent-Type: application/dicom\r\n\r\n";
                b->in.open(b->files[b->index++], std::ios::binary);
                if (!b->in) return CURL_READFUNC_ABORT;
                continue;
            }
            if (!b->closed) {
                b->prefix = "\r\n--" + b->boundary + "--\r\n";
                b->closed = true;
                continue;
            }
            break;
        }
        return written;
    }

    void stow(const std::vector<fs::path>& files, StoreResult& result) {
        Exchange ex;
        Slist headers;
        StowBody body;
        body.files = files;
        body.boundary = "consilium-" + std::to_string(reinterpret_cast<std::uintptr_t>(&body)) + "-stow";
        append(headers, "Accept: application/dicom+json");
        append(headers, "Content-Type: multipart/related; type=\"application/dicom\"; boundary=" + body.boundary);
        auto c = handle(base_ + "/studies", ex, headers);
        curl_easy_setopt(c.get(), CURLOPT_POST, 1L);
        curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, stow_read);
        curl_easy_setopt(c.get(), CURLOPT_READDATA, &body);
        perform(c.get(), ex, "store (STOW-RS)");
        // The answer lists failed SOP instances (00081198) and stored ones (00081199).
        auto answer = json::parse(ex.body, nullptr, false);
        int failed = 0;
        if (answer.is_object()) {
            auto f = answer.find("00081198");
            if (f != answer.end() && f->contains("Value")) failed = static_cast<int>((*f)["Value"].size());
        }
        result.sent += static_cast<int>(files.size()) - failed;
        if (failed) result.failures.push_back(std::to_string(failed) + " of " + std::to_string(files.size()) +
                                              " instance(s) refused by the node");
    }

    decision::PacsNode node_;
    ClientSettings settings_;
    std::string base_;
};

}  // namespace

std::unique_ptr<Client> make_dicomweb_client(const decision::PacsNode& node, const ClientSettings& settings) {
    return std::make_unique<DicomWebClient>(node, settings);
}

}  // namespace consilium::pacs::detail
