// The image files the workspace holds: where they go, and copying them there safely.
#include "dicom_internal.h"

#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"

#include <unistd.h>

#include <array>
#include <fstream>

namespace consilium::decision::dicom {
namespace fs = std::filesystem;

std::string path_component(const std::string& uid) {
    bool safe = !uid.empty() && uid.size() <= 128 && uid[0] != '.';
    for (char c : uid)
        safe = safe && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                        c == '_' || c == '-');
    return safe ? uid : "uid-" + sha256_hex(uid).substr(0, 32);
}

std::string series_folder(const std::string& study_uid, const std::string& series_uid) {
    return "images/" + path_component(study_uid) + "/" + path_component(series_uid);
}

namespace {

bool same_content(const fs::path& a, const fs::path& b) {
    std::error_code ec1, ec2;
    if (fs::file_size(a, ec1) != fs::file_size(b, ec2) || ec1 || ec2) return false;
    std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
    std::array<char, 1 << 16> ba{}, bb{};
    while (fa && fb) {
        fa.read(ba.data(), ba.size());
        fb.read(bb.data(), bb.size());
        if (fa.gcount() != fb.gcount() || !std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
    }
    return !fa.bad() && !fb.bad() && fa.eof() && fb.eof();
}

}  // namespace

CopyOutcome copy_instance(const fs::path& source, const fs::path& target) {
    std::error_code ec;
    if (fs::exists(target, ec)) return same_content(source, target) ? CopyOutcome::already_there : CopyOutcome::differs;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw InputError(target.parent_path().string(), "cannot create the folder: " + ec.message());
    auto temp = target;
    temp += ".partial-" + std::to_string(::getpid());
    if (!fs::copy_file(source, temp, fs::copy_options::overwrite_existing, ec) || ec) {
        fs::remove(temp, ec);
        throw InputError(source.string(), "cannot copy into the workspace: " + ec.message());
    }
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignore;
        fs::remove(temp, ignore);
        throw InputError(target.string(), "cannot place the copy: " + ec.message());
    }
    return CopyOutcome::copied;
}

std::int64_t count_instances(const fs::path& folder) {
    std::error_code ec;
    std::int64_t n = 0;
    for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::end(it); it.increment(ec))
        if (it->path().extension() == ".dcm" && it->is_regular_file(ec)) ++n;
    return n;
}

fs::path common_folder(const std::vector<fs::path>& files) {
    if (files.empty()) return {};
    std::error_code ec;
    auto common = fs::absolute(files[0], ec).parent_path();
    for (const auto& f : files) {
        auto folder = fs::absolute(f, ec).parent_path();
        fs::path shared;
        for (auto a = common.begin(), b = folder.begin(); a != common.end() && b != folder.end() && *a == *b; ++a, ++b)
            shared /= *a;
        common = shared;
    }
    return common;
}

}  // namespace consilium::decision::dicom
