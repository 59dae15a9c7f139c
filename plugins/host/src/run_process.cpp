// run_process: one plugin process, command or native, and its output read back. See run_process.h.
#include "consilium/text/json_text.h"
#include "run_process.h"

#include "output_validation.h"
#include "run_inputs.h"

#include "consilium/decision/crypto.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace consilium::plugins::detail {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using decision::RunStatus;

std::string join(const std::array<double, 3>& v) {
    std::ostringstream s;
    s.precision(17);
    s << v[0] << ',' << v[1] << ',' << v[2];
    return s.str();
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream f(file, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw std::runtime_error("cannot write " + file.string());
}

void fail(ProcessRun& r, RunStatus status, std::string why) {
    r.outcome.status = status;
    r.outcome.reason = std::move(why);
}

ProcessRun run_command(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context, std::int64_t run_id,
                       const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options,
                       std::chrono::milliseconds timeout) {
    ProcessRun r;
    const auto run_dir = work_dir / "plugin-runs" / std::to_string(run_id);
    const auto input_dir = run_dir / "input", output_dir = run_dir / "output";
    r.output_folder = output_dir;
    // The program first: one that is not there is the installation's fault, not the plugin's.
    if (!find_program(m.command.front(), plugin.folder)) {
        r.outcome.host_fault = true;
        fail(r, RunStatus::failed, "cannot start the plugin: its program '" + m.command.front() + "' was not found " +
                                       (m.command.front().find('/') != std::string::npos
                                            ? "in " + plugin.folder.string()
                                            : std::string("on the PATH")));
        return r;
    }
    fs::create_directories(input_dir);
    fs::create_directories(output_dir);
    write_file(input_dir / "context.json", context);
    if (m.inputs.volume && volume) write_volume_inputs(*volume, input_dir);
    // A /bin/sh shim sets the address-space limit, then execs the argv (resolved via PATH).
    std::vector<std::string> args = {
        "/bin/sh", "-c", "ulimit -v " + std::to_string(std::int64_t{m.limits.memory_mb} * 1024) + " && exec \"$@\"", "sh"};
    args.insert(args.end(), m.command.begin(), m.command.end());
    args.insert(args.end(), {"--input", input_dir.string(), "--output", output_dir.string()});
    r.outcome = run_worker(args, volume, timeout, options, true, plugin.folder);
    if (r.outcome.status != RunStatus::succeeded) return r;
    const auto output_file = output_dir / "suggestions.json";
    std::error_code ec;
    if (!fs::is_regular_file(output_file, ec)) {
        fail(r, RunStatus::failed, "the plugin wrote no suggestions.json");
    } else if (fs::file_size(output_file, ec) > static_cast<std::uintmax_t>(m.limits.output_mb) << 20) {
        fail(r, RunStatus::invalid_output, "the output exceeds its limit of " + std::to_string(m.limits.output_mb) + " MB");
    } else {
        const auto raw = read_all(output_file);
        if (auto why = validate_output(raw, m.outputs, volume); !why.empty()) {
            fail(r, RunStatus::invalid_output, why);
        } else {
            r.output = json::parse(raw);
            r.outputs_hash = decision::sha256_hex(text::json_text(r.output));
        }
    }
    return r;
}

ProcessRun run_native(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context,
                      const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options,
                      std::chrono::milliseconds timeout) {
    ProcessRun r;
    r.output_folder = work_dir;
    const auto context_file = work_dir / "context.json";
    const auto output_file = work_dir / "suggestions.out";
    const std::uint64_t output_limit = static_cast<std::uint64_t>(m.limits.output_mb) << 20;
    write_file(context_file, context);
    const fs::path worker = options.worker.empty() ? default_worker() : fs::absolute(options.worker);
    std::vector<std::string> args = {
        worker.string(), "--library", (plugin.folder / m.library).string(), "--context", context_file.string(),
        "--work-dir", work_dir.string(), "--output", output_file.string(), "--output-limit", std::to_string(output_limit),
        "--memory-mb", std::to_string(m.limits.memory_mb)};
    if (volume) {
        std::ostringstream dir;
        dir.precision(17);
        for (std::size_t i = 0; i < 9; ++i) dir << (i ? "," : "") << volume->direction[i];
        args.insert(args.end(), {"--volume-fd", "3", "--volume-bytes", std::to_string(volume->bytes), "--dims",
                                 std::to_string(volume->dims[0]) + "," + std::to_string(volume->dims[1]) + "," +
                                     std::to_string(volume->dims[2]),
                                 "--spacing", join(volume->spacing_mm), "--origin", join(volume->origin_lps),
                                 "--direction", dir.str(), "--pixel", volume->float32 ? "float32" : "int16",
                                 "--modality", volume->modality, "--series-uid", volume->series_uid});
    }
    r.outcome = run_worker(args, volume, timeout, options);
    if (r.outcome.status != RunStatus::succeeded) return r;
    std::error_code ec;
    const auto size = fs::exists(output_file) ? fs::file_size(output_file, ec) : 0;
    if (size > output_limit) {
        fail(r, RunStatus::invalid_output, "the output exceeds its limit of " + std::to_string(m.limits.output_mb) + " MB");
        return r;
    }
    try {
        r.output = merge_output(read_all(output_file));
        if (auto why = validate_output(text::json_text(r.output), m.outputs, volume); !why.empty()) fail(r, RunStatus::invalid_output, why);
        else r.outputs_hash = decision::sha256_hex(text::json_text(r.output));
    } catch (const BadOutput& e) {
        fail(r, RunStatus::invalid_output, e.what());
    }
    return r;
}

}  // namespace

ProcessRun run_process(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context, std::int64_t run_id,
                       const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options) {
    const auto timeout = options.timeout.value_or(std::chrono::milliseconds(std::int64_t{m.limits.timeout_s} * 1000));
    return m.kind == PluginKind::command ? run_command(m, plugin, context, run_id, volume, work_dir, options, timeout)
                                         : run_native(m, plugin, context, volume, work_dir, options, timeout);
}

}  // namespace consilium::plugins::detail
