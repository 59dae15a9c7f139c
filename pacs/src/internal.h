#pragma once
// Private pieces of the PACS library, shared by the two protocols (and the unit tests).
#include "consilium/pacs/client.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace consilium::pacs::detail {

// A UID as a file name: itself when plainly safe ([A-Za-z0-9._-], not starting with a dot),
// else `fallback`.
std::string safe_file_name(const std::string& uid, const std::string& fallback);

// Writes one instance to `folder`/<unique>.part, then on finish() checks it parses and renames it
// to <SOPInstanceUID>.dcm. A part abandoned (destroyed unfinished) is removed.
class StagedFile {
public:
    StagedFile(const std::filesystem::path& folder, int serial);
    ~StagedFile();
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    void write(const char* data, std::size_t size);
    RetrievedInstance finish();
private:
    std::filesystem::path temp_;
    int fd_ = -1;
};

// Incremental parser of a multipart/related body (RFC 2046), fed in chunks of any size as they
// arrive; each part's body goes to a StagedFile as it comes, so no more than a boundary's length
// is ever held. Throws PacsError(protocol) for a malformed stream, and finish() throws when the
// closing delimiter never came (the server stopped mid-transfer).
class MultipartReader {
public:
    using PartDone = std::function<void(RetrievedInstance)>;
    MultipartReader(std::string boundary, std::filesystem::path folder, PartDone done);
    void feed(const char* data, std::size_t size);
    void finish();  // the body ended: it must have been complete
    int parts() const { return parts_; }
private:
    void process();
    enum class State { preamble, after_delimiter, headers, body, done };
    State state_ = State::preamble;
    std::string delimiter_;  // "\r\n--" + boundary
    std::string pending_;
    std::filesystem::path folder_;
    PartDone done_;
    std::unique_ptr<StagedFile> part_;
    int parts_ = 0;
};

// The boundary parameter of a multipart Content-Type header value, or "" when absent.
std::string multipart_boundary(std::string_view content_type);

std::unique_ptr<Client> make_dicomweb_client(const decision::PacsNode& node, const ClientSettings& settings);
std::unique_ptr<Client> make_dimse_client(const decision::PacsNode& node, const ClientSettings& settings);

}  // namespace consilium::pacs::detail
