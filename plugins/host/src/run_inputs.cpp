// The inputs of a run as the host prepares them: worker program, work folder, volume files for a
// command plugin, the program a command names. See run_inputs.h.
#include "consilium/text/json_text.h"
#include "run_inputs.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace consilium::plugins::detail {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path default_worker() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / "consilium-plugin-worker";
        if (fs::exists(beside)) return beside;
        auto libexec = self.parent_path().parent_path() / "lib" / "consilium" / "consilium-plugin-worker";
        if (fs::exists(libexec)) return libexec;
    }
    return "consilium-plugin-worker";
}

fs::path fresh_work_dir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        auto dir = fs::absolute(fs::temp_directory_path() / ("consilium-run-" + std::to_string(rd())));
        if (fs::create_directory(dir)) return dir;
    }
    throw decision::StoreError("cannot create a work folder for the plugin run");
}

void write_volume_inputs(const VolumeInput& v, const fs::path& input_dir) {
    if (v.fd < 0) throw std::runtime_error("the volume has no shared-memory descriptor");
    std::ostringstream h;
    h.precision(17);
    h << "NRRD0004\n"
      << "type: " << (v.float32 ? "float" : "short") << "\n"
      << "dimension: 3\n"
      << "space: left-posterior-superior\n"
      << "sizes: " << v.dims[0] << ' ' << v.dims[1] << ' ' << v.dims[2] << "\n"
      << "space directions:";
    for (std::size_t axis = 0; axis < 3; ++axis) {
        h << " (";
        for (std::size_t r = 0; r < 3; ++r) h << (r ? "," : "") << v.direction[r * 3 + axis] * v.spacing_mm[axis];
        h << ')';
    }
    h << "\nkinds: domain domain domain\n"
      << "endian: little\n"
      << "encoding: raw\n"
      << "space origin: (" << v.origin_lps[0] << ',' << v.origin_lps[1] << ',' << v.origin_lps[2] << ")\n\n";
    std::ofstream f(input_dir / "volume.nrrd", std::ios::binary);
    f << h.str();
    std::vector<char> buf(1 << 20);
    std::size_t done = 0;
    while (done < v.bytes) {
        const auto want = std::min(buf.size(), v.bytes - done);
        const ssize_t n = ::pread(v.fd, buf.data(), want, static_cast<off_t>(done));
        if (n <= 0) throw std::runtime_error("cannot read the volume from shared memory");
        f.write(buf.data(), n);
        done += static_cast<std::size_t>(n);
    }
    if (!f) throw std::runtime_error("cannot write " + (input_dir / "volume.nrrd").string());
    json series = {{"modality", v.modality},
                   {"series_uid", v.series_uid},
                   {"pixel", v.float32 ? "float32" : "int16"},
                   {"geometry",
                    {{"dims", v.dims},
                     {"spacing_mm", v.spacing_mm},
                     {"origin_lps", v.origin_lps},
                     {"direction", v.direction}}}};
    std::ofstream out(input_dir / "series.json", std::ios::binary);
    out << text::json_text(series, 2);
    if (!out) throw std::runtime_error("cannot write " + (input_dir / "series.json").string());
}

std::optional<fs::path> find_program(const std::string& program, const fs::path& plugin_folder) {
    auto runnable = [](const fs::path& p) {
        std::error_code ec;
        return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
    };
    if (program.empty()) return std::nullopt;
    if (program.find('/') != std::string::npos) {
        fs::path p = fs::path(program).is_absolute() ? fs::path(program) : plugin_folder / program;
        return runnable(p) ? std::optional<fs::path>(p) : std::nullopt;
    }
    const char* path = std::getenv("PATH");
    const std::string list = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto colon = list.find(':', start);
        std::string dir = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        // An empty entry is the working directory, which for a command plugin is its folder.
        fs::path folder = dir.empty() ? plugin_folder : fs::path(dir);
        if (folder.is_relative()) folder = plugin_folder / folder;
        const fs::path candidate = folder / program;
        if (runnable(candidate)) return candidate;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return std::nullopt;
}

}  // namespace consilium::plugins::detail
