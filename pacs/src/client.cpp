// What both protocols share: staging instances on disk, checking them, the multipart reader.
#include "internal.h"

#include "consilium/decision/errors.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace consilium::pacs {
namespace detail {

namespace fs = std::filesystem;

std::string safe_file_name(const std::string& uid, const std::string& fallback) {
    bool safe = !uid.empty() && uid.size() <= 128 && uid[0] != '.';
    for (char c : uid)
        safe = safe && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                        c == '_' || c == '-');
    return safe ? uid : fallback;
}

StagedFile::StagedFile(const fs::path& folder, int serial) {
    static std::atomic<unsigned> counter{0};
    temp_ = folder / ("incoming-" + std::to_string(::getpid()) + "-" + std::to_string(serial) + "-" +
                      std::to_string(counter++) + ".part");
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw PacsError(PacsError::Kind::protocol,
                        "cannot write the retrieved instance to " + temp_.string() + ": " + std::strerror(errno));
}

StagedFile::~StagedFile() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    if (!temp_.empty()) fs::remove(temp_, ec);
}

void StagedFile::write(const char* data, std::size_t size) {
    while (size > 0) {
        auto n = ::write(fd_, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw PacsError(PacsError::Kind::protocol, "cannot write " + temp_.string() + ": " + std::strerror(errno));
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

RetrievedInstance StagedFile::finish() {
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw PacsError(PacsError::Kind::protocol, "cannot write " + temp_.string() + ": " + std::strerror(errno));
    }
    fd_ = -1;
    auto instance = check_instance_file(temp_);
    auto target = temp_.parent_path() / (safe_file_name(instance.sop_instance_uid, temp_.stem().string()) + ".dcm");
    std::error_code ec;
    fs::rename(temp_, target, ec);
    if (ec) throw PacsError(PacsError::Kind::protocol, "cannot place " + target.string() + ": " + ec.message());
    temp_.clear();
    instance.file = target;
    return instance;
}

std::string multipart_boundary(std::string_view ct) {
    // Parameters are ;-separated name=value, the value possibly quoted; names are case-insensitive.
    std::size_t i = ct.find(';');
    while (i != std::string_view::npos) {
        ++i;
        while (i < ct.size() && (ct[i] == ' ' || ct[i] == '\t')) ++i;
        auto eq = ct.find('=', i);
        if (eq == std::string_view::npos) return "";
        std::string name(ct.substr(i, eq - i));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        std::size_t v = eq + 1;
        std::string value;
        std::size_t next;
        if (v < ct.size() && ct[v] == '"') {
            auto close = ct.find('"', v + 1);
            if (close == std::string_view::npos) return "";
            value = std::string(ct.substr(v + 1, close - v - 1));
            next = ct.find(';', close);
        } else {
            next = ct.find(';', v);
            value = std::string(ct.substr(v, next == std::string_view::npos ? std::string_view::npos : next - v));
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r' ||
                                      value.back() == '\n'))
                value.pop_back();
        }
        if (name == "boundary") return value;
        i = next;
    }
    return "";
}

MultipartReader::MultipartReader(std::string boundary, fs::path folder, PartDone done)
    : delimiter_("\r\n--" + boundary), folder_(std::move(folder)), done_(std::move(done)) {
    if (boundary.empty() || boundary.size() > 200)
        throw PacsError(PacsError::Kind::protocol, "the multipart response has no usable boundary");
    // The first delimiter may come at the very start, without a CRLF before it.
    pending_ = "\r\n";
}

void MultipartReader::feed(const char* data, std::size_t size) {
    if (state_ == State::done) return;  // the epilogue is ignored
    pending_.append(data, size);
    process();
}

void MultipartReader::process() {
    std::size_t at = 0;
    const std::size_t dlen = delimiter_.size();
    for (;;) {
        if (state_ == State::preamble || state_ == State::body) {
            const char* base = pending_.data() + at;
            std::size_t avail = pending_.size() - at;
            const void* hit = avail >= dlen ? ::memmem(base, avail, delimiter_.data(), dlen) : nullptr;
            if (!hit) {
                // Keep what could be the start of a delimiter split across chunks.
                std::size_t keep = std::min(avail, dlen - 1);
                if (state_ == State::body) part_->write(base, avail - keep);
                at += avail - keep;
                break;
            }
            std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
            if (state_ == State::body) {
                part_->write(base, pos);
                auto instance = part_->finish();
                part_.reset();
                ++parts_;
                done_(std::move(instance));
            }
            at += pos + dlen;
            state_ = State::after_delimiter;
        } else if (state_ == State::after_delimiter) {
            if (pending_.size() - at < 2) break;
            if (pending_.compare(at, 2, "--") == 0) {
                state_ = State::done;
                at = pending_.size();
                break;
            }
            // Transport padding (spaces, tabs) then CRLF.
            auto eol = pending_.find("\r\n", at);
            if (eol == std::string::npos) {
                if (pending_.size() - at > 1024)
                    throw PacsError(PacsError::Kind::protocol, "malformed multipart response: bad delimiter line");
                break;
            }
            for (std::size_t k = at; k < eol; ++k)
                if (pending_[k] != ' ' && pending_[k] != '\t')
                    throw PacsError(PacsError::Kind::protocol, "malformed multipart response: bad delimiter line");
            at = eol + 2;
            state_ = State::headers;
        } else if (state_ == State::headers) {
            std::size_t end;
            if (pending_.compare(at, 2, "\r\n") == 0) {
                end = at;  // no headers at all
            } else {
                end = pending_.find("\r\n\r\n", at);
                if (end == std::string::npos) {
                    if (pending_.size() - at > 64 * 1024)
                        throw PacsError(PacsError::Kind::protocol, "malformed multipart response: part headers too long");
                    break;
                }
                end += 2;
            }
            auto headers = pending_.substr(at, end - at);
            for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto ct = headers.find("content-type:");
            if (ct != std::string::npos) {
                auto value = headers.substr(ct + 13, headers.find("\r\n", ct) - ct - 13);
                if (value.find("application/dicom") == std::string::npos)
                    throw PacsError(PacsError::Kind::protocol, "the node sent a part of type '" + value +
                                                                   "' where DICOM (application/dicom) was asked for");
            }
            at = end + 2;
            part_ = std::make_unique<StagedFile>(folder_, parts_);
            state_ = State::body;
        } else {
            at = pending_.size();
            break;
        }
    }
    pending_.erase(0, at);
}

void MultipartReader::finish() {
    if (state_ != State::done) {
        part_.reset();
        throw PacsError(PacsError::Kind::protocol,
                        "the transfer ended before the multipart response was complete (" + std::to_string(parts_) +
                            " instance(s) received): the node stopped sending");
    }
}

}  // namespace detail

RetrievedInstance check_instance_file(const std::filesystem::path& file) {
    DcmFileFormat ff;
    // Values above 4 kB (pixel data) are not loaded, but their lengths are checked against the file.
    OFCondition status = ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_autoDetect);
    if (status.bad())
        throw PacsError(PacsError::Kind::corrupt,
                        "received data that is not a readable DICOM file (" + std::string(status.text()) + ")");
    DcmDataset* d = ff.getDataset();
    auto get = [&](const DcmTagKey& tag) {
        OFString v;
        d->findAndGetOFString(tag, v);
        return std::string(v.c_str());
    };
    RetrievedInstance out{get(DCM_StudyInstanceUID), get(DCM_SeriesInstanceUID), get(DCM_SOPInstanceUID), file};
    if (out.sop_instance_uid.empty() || out.series_uid.empty() || out.study_uid.empty())
        throw PacsError(PacsError::Kind::corrupt, "received a DICOM object without SOP Instance, Series or Study UID");
    return out;
}

bool staged_instance_complete(const std::filesystem::path& folder, const std::string& sop_instance_uid) {
    const auto file = folder / (detail::safe_file_name(sop_instance_uid, "") + ".dcm");
    std::error_code ec;
    if (detail::safe_file_name(sop_instance_uid, "").empty() || !std::filesystem::is_regular_file(file, ec)) return false;
    try {
        if (check_instance_file(file).sop_instance_uid == sop_instance_uid) return true;
    } catch (const PacsError&) {
        // cut short (the transfer or the machine stopped while it was written): fetch it again
    }
    std::filesystem::remove(file, ec);
    return false;
}

DimseAddress parse_dimse_address(const std::string& text) {
    auto at = text.find('@');
    auto colon = text.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at)
        throw std::invalid_argument("a DIMSE address is AET@HOST:PORT, not '" + text + "'");
    DimseAddress a{text.substr(0, at), text.substr(at + 1, colon - at - 1), 0};
    auto port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("the port of '" + text + "' is not a number");
    a.port = std::stoi(port);
    if (a.aet.empty() || a.host.empty()) throw std::invalid_argument("a DIMSE address is AET@HOST:PORT, not '" + text + "'");
    if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
    return a;
}

std::unique_ptr<Client> connect(const decision::PacsNode& node, const ClientSettings& settings) {
    if (node.protocol == "dicomweb") return detail::make_dicomweb_client(node, settings);
    if (node.protocol == "dimse") return detail::make_dimse_client(node, settings);
    throw decision::InputError("PACS node '" + node.name + "'", "unknown protocol '" + node.protocol + "'");
}

}  // namespace consilium::pacs
