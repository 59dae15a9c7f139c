#include "consilium/viewer/scan.h"

#include <algorithm>
#include <thread>

namespace consilium::viewer {

ScanResult scan(const std::filesystem::path& path, const ScanOptions& options) {
    ScanResult result;
    std::vector<std::filesystem::path> paths;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        for (auto it = std::filesystem::recursive_directory_iterator(
                 path, std::filesystem::directory_options::skip_permission_denied, ec);
             !ec && it != std::filesystem::end(it); it.increment(ec))
            if (it->is_regular_file(ec)) paths.push_back(it->path());
        if (ec) result.unreadable.push_back({path, "cannot list the folder: " + ec.message()});
    } else if (std::filesystem::is_regular_file(path, ec)) {
        paths.push_back(path);
    } else {
        result.unreadable.push_back({path, "no such file or folder"});
        return result;
    }
    std::sort(paths.begin(), paths.end());

    // Headers are read on every core; each file's outcome lands in its own slot.
    std::vector<std::optional<DicomFile>> headers(paths.size());
    std::vector<std::string> reasons(paths.size());
    std::atomic<std::size_t> next{0}, done{0};
    auto work = [&] {
        for (std::size_t i; (i = next++) < paths.size();) {
            if (options.cancel && options.cancel->load()) return;
            try {
                headers[i] = read_dicom_header(paths[i]);
            } catch (const std::exception& e) {
                reasons[i] = e.what();
            }
            ++done;
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    // With a progress callback the caller's thread only reports; otherwise it reads too.
    const unsigned readers = options.progress ? cores : cores - 1;
    std::vector<std::thread> helpers;
    for (unsigned t = 0; t < readers && t < paths.size(); ++t) helpers.emplace_back(work);
    if (options.progress) {
        while (done < paths.size() && !(options.cancel && options.cancel->load())) {
            options.progress(done, paths.size());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    work();
    for (auto& h : helpers) h.join();
    if (options.progress) options.progress(done, paths.size());

    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (headers[i]) result.files.push_back(std::move(*headers[i]));
        else if (!reasons[i].empty()) result.unreadable.push_back({paths[i], reasons[i]});
    }
    build_series(result);
    return result;
}

}  // namespace consilium::viewer
