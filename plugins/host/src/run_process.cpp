// run_process: one plugin process, command or native, and its output read back. See run_process.h.
#include "consilium/text/json_text.h"
#include "run_process.h"

#include "bounded_json.h"
#include "output_validation.h"
#include "run_inputs.h"
#include "sealed_volume.h"

#include "consilium/decision/crypto.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
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

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream f(file, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw std::runtime_error("cannot write " + file.string());
}

// Where a sandboxed run finds its folders: fixed places, so nothing of the host's layout (the
// workspace's path, the user's name) shows inside.
const fs::path kInPlugin = "/run/consilium/plugin", kInInput = "/run/consilium/input",
               kInOutput = "/run/consilium/output", kInWorker = "/run/consilium/bin/consilium-plugin-worker";

// The launch every plugin run shares: the site's limits, and the sandbox unless the site turned it off.
launch::Spec plugin_spec(const EffectiveLimits& limits) {
    launch::Spec spec;
    spec.limits.cpu_seconds = static_cast<std::uint64_t>(limits.cpu_s);
    spec.limits.processes = static_cast<std::uint64_t>(limits.processes);
    spec.limits.file_size_bytes = std::uint64_t(limits.file_size_mb) << 20;
    spec.clean_environment = true;  // sandboxed or not: no secret of the caller reaches a plugin
    if (limits.sandbox) {
        spec.sandbox = launch::Sandbox{};
        spec.sandbox->tmp_bytes = spec.limits.file_size_bytes;
    }
    return spec;
}

// A command's program as the sandbox finds it: a path with a slash in the plugin's folder, else
// along the sandbox's fixed PATH (the host's own PATH is not the plugin's).
std::optional<fs::path> sandboxed_program(const std::string& program, const fs::path& plugin_folder) {
    std::error_code ec;
    auto executable = [&](const fs::path& p) { return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0; };
    if (program.find('/') != std::string::npos) {
        const auto p = fs::path(program).is_absolute() ? fs::path(program) : plugin_folder / program;
        return executable(p) ? std::optional<fs::path>(p.lexically_normal()) : std::nullopt;
    }
    for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"})
        if (executable(fs::path(dir) / program)) return fs::path(dir) / program;
    return std::nullopt;
}

// The output folder's files together over the limit, or a link among them (a plugin pointing
// the host at a file of the host's, e.g. the database): the reason, else "".
std::string output_over_limit(const fs::path& output_dir, int output_mb) {
    std::error_code ec;
    std::uintmax_t total = 0;
    for (auto it = fs::recursive_directory_iterator(output_dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto st = it->symlink_status(ec);
        if (fs::is_symlink(st)) return "the output holds a symbolic link (" + it->path().filename().string() + "): refused";
        if (fs::is_regular_file(st)) total += it->file_size(ec);
    }
    if (total > static_cast<std::uintmax_t>(output_mb) << 20)
        return "the output exceeds its limit of " + std::to_string(output_mb) + " MB";
    return "";
}

void fail(ProcessRun& r, RunStatus status, std::string why) {
    r.outcome.status = status;
    r.outcome.reason = std::move(why);
}

ProcessRun run_command(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context, std::int64_t run_id,
                       const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options,
                       const EffectiveLimits& limits, std::chrono::milliseconds timeout) {
    ProcessRun r;
    const auto run_dir = work_dir / "plugin-runs" / std::to_string(run_id);
    const auto input_dir = run_dir / "input", output_dir = run_dir / "output";
    r.output_folder = output_dir;
    // The program first: one that is not there is the installation's fault, not the plugin's.
    const auto program = limits.sandbox ? sandboxed_program(m.command.front(), plugin.folder)
                                         : find_program(m.command.front(), plugin.folder);
    if (!program) {
        r.outcome.host_fault = true;
        fail(r, RunStatus::failed, "cannot start the plugin: its program '" + m.command.front() + "' was not found " +
                                       (m.command.front().find('/') != std::string::npos
                                            ? "in " + plugin.folder.string()
                                            : std::string("on the PATH")));  // the sandbox's: /usr/local/bin:/usr/bin:/bin
        return r;
    }
    fs::create_directories(input_dir);
    fs::create_directories(output_dir);
    write_file(input_dir / "context.json", context);
    if (m.inputs.volume && volume) write_volume_inputs(*volume, input_dir);
    launch::Spec spec = plugin_spec(limits);
    const bool boxed = spec.sandbox.has_value();
    spec.argv = m.command;
    // A program inside the plugin's folder is named by its place inside the sandbox.
    spec.argv.front() = boxed && program->string().rfind(plugin.folder.string() + "/", 0) == 0
                            ? (kInPlugin / program->lexically_relative(plugin.folder)).string()
                            : program->string();
    spec.argv.insert(spec.argv.end(), {"--input", (boxed ? kInInput : input_dir).string(), "--output",
                                       (boxed ? kInOutput : output_dir).string()});
    spec.cwd = boxed ? kInPlugin : plugin.folder;
    spec.limits.address_space_bytes = std::uint64_t(limits.memory_mb) << 20;
    if (boxed)
        spec.sandbox->binds = {{plugin.folder, kInPlugin, false}, {input_dir, kInInput, false}, {output_dir, kInOutput, true}};
    r.outcome = run_worker(spec, timeout, options, true);
    if (r.outcome.status != RunStatus::succeeded) return r;
    const auto output_file = output_dir / "suggestions.json";
    std::error_code ec;
    if (!fs::is_regular_file(output_file, ec)) {
        fail(r, RunStatus::failed, "the plugin wrote no suggestions.json");
    } else if (auto why = output_over_limit(output_dir, limits.output_mb); !why.empty()) {
        fail(r, RunStatus::invalid_output, why);
    } else {
        // Read up to the cap, parsed once with bounded depth, validated, and only then serialised.
        const auto raw = read_capped(output_file, std::uint64_t(limits.output_mb) << 20);
        auto parsed = raw ? parse_bounded(*raw) : BoundedJson{};
        if (!raw) {
            fail(r, RunStatus::invalid_output, "the output exceeds its limit of " + std::to_string(limits.output_mb) + " MB");
        } else if (!parsed.error.empty()) {
            fail(r, RunStatus::invalid_output, "the output is " + parsed.error);
        } else if (auto invalid = validate_output_value(parsed.value, m.outputs, volume); !invalid.empty()) {
            fail(r, RunStatus::invalid_output, invalid);
        } else {
            r.output = std::move(parsed.value);
            r.outputs_hash = decision::sha256_hex(text::json_text(r.output));
        }
    }
    return r;
}

ProcessRun run_native(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context,
                      const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options,
                      const EffectiveLimits& limits, std::chrono::milliseconds timeout) {
    ProcessRun r;
    r.output_folder = work_dir;
    const auto context_file = work_dir / "context.json";
    const auto output_file = work_dir / "suggestions.out";
    const std::uint64_t output_limit = static_cast<std::uint64_t>(limits.output_mb) << 20;
    write_file(context_file, context);
    const fs::path worker = options.worker.empty() ? default_worker() : fs::absolute(options.worker);
    launch::Spec spec = plugin_spec(limits);
    const bool boxed = spec.sandbox.has_value();
    // The worker, library, context and work folder by their places inside the sandbox.
    const fs::path in_worker = boxed ? kInWorker : worker, in_plugin = boxed ? kInPlugin : plugin.folder,
                   in_context = boxed ? kInInput / "context.json" : context_file, in_work = boxed ? kInOutput : work_dir;
    std::vector<std::string> args = {
        in_worker.string(), "--library", (in_plugin / m.library).string(), "--context", in_context.string(),
        "--work-dir", in_work.string(), "--output", (in_work / output_file.filename()).string(), "--output-limit",
        std::to_string(output_limit), "--memory-mb", std::to_string(limits.memory_mb)};
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
    spec.argv = std::move(args);
    std::optional<SealedVolume> sealed;  // never the displayed voxels writable: sealed, or a sealed copy
    if (volume) sealed.emplace(*volume);
    spec.fd3 = sealed ? sealed->fd() : -1;
    // The worker sets the address-space limit itself, the mapped volume on top of memory_mb.
    if (boxed)
        spec.sandbox->binds = {{worker, kInWorker, false}, {plugin.folder, kInPlugin, false},
                               {context_file, kInInput / "context.json", false}, {work_dir, kInOutput, true}};
    r.outcome = run_worker(spec, timeout, options);
    if (r.outcome.status != RunStatus::succeeded) return r;
    std::error_code ec;
    const auto size = fs::is_regular_file(fs::symlink_status(output_file, ec)) ? fs::file_size(output_file, ec) : 0;
    if (fs::is_symlink(fs::symlink_status(output_file, ec))) {
        fail(r, RunStatus::invalid_output, "the output is a symbolic link: refused");
        return r;
    }
    if (auto why = output_over_limit(work_dir, limits.output_mb); !why.empty() && why.find("symbolic") != std::string::npos) {
        fail(r, RunStatus::invalid_output, why);
        return r;
    }
    if (size > output_limit) {
        fail(r, RunStatus::invalid_output, "the output exceeds its limit of " + std::to_string(limits.output_mb) + " MB");
        return r;
    }
    try {
        const auto raw = read_capped(output_file, output_limit);
        if (!raw) throw BadOutput("the output exceeds its limit of " + std::to_string(limits.output_mb) + " MB");
        r.output = merge_output(*raw);
        if (auto why = validate_output_value(r.output, m.outputs, volume); !why.empty()) fail(r, RunStatus::invalid_output, why);
        else r.outputs_hash = decision::sha256_hex(text::json_text(r.output));
    } catch (const BadOutput& e) {
        fail(r, RunStatus::invalid_output, e.what());
    }
    return r;
}

}  // namespace

ProcessRun run_process(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context, std::int64_t run_id,
                       const std::optional<VolumeInput>& volume, const fs::path& work_dir, const RunOptions& options,
                       const EffectiveLimits& limits) {
    const auto timeout = options.timeout.value_or(std::chrono::milliseconds(std::int64_t{limits.timeout_s} * 1000));
    // A plugin's PROGRESS is a number it chose: NaN or infinity is ignored, the rest kept in 0..1.
    RunOptions guarded = options;
    if (options.progress)
        guarded.progress = [report = options.progress](double f) {
            if (std::isfinite(f)) report(std::clamp(f, 0.0, 1.0));
        };
    return m.kind == PluginKind::command ? run_command(m, plugin, context, run_id, volume, work_dir, guarded, limits, timeout)
                                         : run_native(m, plugin, context, volume, work_dir, guarded, limits, timeout);
}

}  // namespace consilium::plugins::detail
