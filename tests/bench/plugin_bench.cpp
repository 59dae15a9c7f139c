// plugin_bench: what the plugin host adds to a run (see README.md here).
//
//   plugin_bench [--runs N] [--plugin LIB] [--slices K]
//
// A no-op native plugin (noop_plugin.c) on a 512x512xK int16 volume (K = 300) in a memfd, run N
// times (20) four ways, interleaved so machine drift hits all alike:
//   inprocess     dlopen + entry + run + dlclose in this process, on the same mapping;
//   worker_only   consilium-plugin-worker spawned directly (exec, dlopen, mmap, run), no store;
//   host          run_plugin on a durable store (synchronous=FULL), as a workspace has it;
//   host_volatile run_plugin on a store with synchronous=OFF: host - host_volatile is the cost of
//                 the durable writes (the run row, then suggestions + run end + audit);
//   host_unboxed  as host_volatile with the site policy plugin.sandbox off (the figure before the
//                 sandbox): host_volatile - host_unboxed is what the sandbox adds to a run;
//   worker_boxed  the worker through the launcher inside the sandbox, as run_process starts it:
//                 worker_boxed - worker_only is the sandbox's own cost (bubblewrap + seccomp).
// Every run goes through the sandbox unless its policy says otherwise (docs/security.md). The
// volume is sealed, as the loader leaves it, so the host hands it over without a copy.
// Prints "name value unit" lines; '#' lines are for people. Never part of CTest.
// Environment: CONSILIUM_BENCH_DIR (default the temp folder) holds the stores: a real disk.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/plugins/discovery.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/decision/site_policy.h"
#include "consilium/launch/launcher.h"
#include "consilium/plugins/run.h"
#include "consilium_plugin.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace cd = consilium::decision;
namespace cp = consilium::plugins;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// CPU time of this process and its reaped children (the workers), ms: on a busy machine wall
// time is mostly waiting for a core, and this shows what a run really costs.
double cpu_ms() {
    double total = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage u{};
        getrusage(who, &u);
        total += static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
                 static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
    }
    return total;
}

void figure(const std::string& name, double value, const char* unit, int decimals = 2) {
    std::printf("%s %.*f %s\n", name.c_str(), decimals, value, unit);
    std::fflush(stdout);
}
[[gnu::format(printf, 1, 2)]] void comment(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    std::printf("# ");
    std::vprintf(format, args);
    std::printf("\n");
    va_end(args);
    std::fflush(stdout);
}

// Nearest-rank percentile.
double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(v.size()))));
    return v[std::min(rank, v.size()) - 1];
}

// VmRSS or VmHWM of this process, MiB.
double status_mib(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::strtod(line.c_str() + std::strlen(key) + 1, nullptr) / 1024.0;
    return -1;
}

// A store as a workspace has it: an admin (who may run plugins) and one patient.
struct BenchStore {
    std::unique_ptr<cd::Store> store;
    std::optional<cd::Session> session;
    std::int64_t patient = 0;
    BenchStore(const fs::path& file, bool durable) {
        store = cd::open_sqlite_store(file, {.create = true, .durable = durable});
        cd::add_user(*store, nullptr, "bench", cd::Role::admin, "bench");
        session = cd::login(*store, "bench", "bench");
        cd::Patient p;
        p.mrn = "BENCH1";
        p.family = "Bench";
        p.given = "Mark";
        p.name = "Mark Bench";
        auto tx = store->begin();
        patient = store->patients().insert(p);
        tx->commit();
    }
};

// ---------------------------------------------------------------- the four ways of running it

std::string g_emitted;
void noop_log(void*, consilium_log_level, const char*) {}
void noop_progress(void*, double) {}
int not_cancelled(void*) { return 0; }
consilium_status keep_emitted(void*, const char* json) {
    g_emitted = json;
    return CONSILIUM_STATUS_OK;
}

void run_in_process(const std::string& library, const consilium_volume& volume, const std::string& context) {
    void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<consilium_plugin_entry_fn>(dlsym(lib, CONSILIUM_PLUGIN_ENTRY_SYMBOL));
    const consilium_plugin* plugin = entry ? entry(CONSILIUM_PLUGIN_ABI_VERSION) : nullptr;
    if (!plugin) throw std::runtime_error("no plugin table");
    consilium_host host{};
    host.abi_version = CONSILIUM_PLUGIN_ABI_VERSION;
    host.struct_size = sizeof host;
    host.log = noop_log;
    host.progress = noop_progress;
    host.is_cancelled = not_cancelled;
    host.emit_suggestions = keep_emitted;
    host.context_json = context.c_str();
    host.volume = &volume;
    host.work_dir = "/tmp";
    if (plugin->run(&host) != CONSILIUM_STATUS_OK || g_emitted.empty()) throw std::runtime_error("in-process run failed");
    dlclose(lib);
}

// The worker as run.cpp starts it (same arguments, the volume as fd 3), without the store.
void run_worker_only(const std::vector<std::string>& args, int volume_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, volume_fd, 3);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error(std::string("cannot start the worker: ") + std::strerror(rc));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the worker failed");
}

// The worker inside the sandbox with run_process's binds and arguments (paths inside the sandbox).
void run_worker_boxed(const std::vector<std::string>& args, const std::vector<consilium::launch::Bind>& binds, int volume_fd) {
    consilium::launch::Spec spec;
    spec.argv = args;
    spec.sandbox = consilium::launch::Sandbox{binds, 0};
    spec.fd3 = volume_fd;
    spec.stderr_pipe = false;
    auto child = consilium::launch::start(spec);
    char buf[4096];
    while (::read(child->stdout_fd(), buf, sizeof buf) > 0) {}
    if (child->wait().code != 0) throw std::runtime_error("the sandboxed worker failed");
}

void run_host(BenchStore& s, const cp::DiscoveredPlugin& plugin, const cp::VolumeInput& volume) {
    auto r = cp::run_plugin(*s.store, *s.session, plugin, s.patient, volume);
    if (r.status != cd::RunStatus::succeeded || r.suggestions.size() != 1)
        throw std::runtime_error("host run: " + std::string(cd::to_string(r.status)) + " " + r.reason);
}

void report(const char* name, const std::vector<double>& ms) {
    figure(std::string("plugin_") + name + "_median", percentile(ms, 0.5), "ms");
    figure(std::string("plugin_") + name + "_p95", percentile(ms, 0.95), "ms");
}

int bench(int runs, const std::string& library, int slices) {
    const fs::path self = fs::read_symlink("/proc/self/exe");
    const fs::path worker = self.parent_path() / "consilium-plugin-worker";
    const char* env_dir = std::getenv("CONSILIUM_BENCH_DIR");
    std::string pattern = (fs::path(env_dir ? env_dir : fs::temp_directory_path().string()) / "plugin-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a scratch folder");
    const fs::path dir = pattern;
    struct Cleanup {
        fs::path d;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(d, ec);
        }
    } cleanup{dir};

    // The volume: 512x512xK int16 in a memfd, written once (as the loader leaves it).
    cp::VolumeInput v;
    v.dims = {512, 512, slices};
    v.spacing_mm = {0.7, 0.7, 1.0};
    v.bytes = std::size_t{512} * 512 * static_cast<std::size_t>(slices) * 2;
    v.modality = "CT";
    v.series_uid = "1.2.826.0.1.3680043.2.1125.bench";
    v.fd = memfd_create("plugin-bench-volume", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (v.fd < 0 || ftruncate(v.fd, static_cast<off_t>(v.bytes)) != 0) throw std::runtime_error("memfd");
    auto* voxels = static_cast<std::int16_t*>(mmap(nullptr, v.bytes, PROT_READ | PROT_WRITE, MAP_SHARED, v.fd, 0));
    if (voxels == MAP_FAILED) throw std::runtime_error("mmap");
    std::fill(voxels, voxels + v.bytes / 2, std::int16_t{-1000});
    {  // sealed as the loader leaves it (voxel_buffer.cpp): mapped again through a read-only descriptor
        munmap(voxels, v.bytes);
        const int ro = ::open(("/proc/self/fd/" + std::to_string(v.fd)).c_str(), O_RDONLY | O_CLOEXEC);
        voxels = static_cast<std::int16_t*>(mmap(nullptr, v.bytes, PROT_READ, MAP_SHARED, ro, 0));
        ::close(ro);
        if (voxels == MAP_FAILED || fcntl(v.fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW) != 0)
            throw std::runtime_error("cannot seal the volume");
    }
    consilium_volume cv{};
    cv.abi_version = CONSILIUM_PLUGIN_ABI_VERSION;
    cv.struct_size = sizeof cv;
    for (int i = 0; i < 3; ++i) {
        cv.dims[i] = v.dims[static_cast<std::size_t>(i)];
        cv.spacing_mm[i] = v.spacing_mm[static_cast<std::size_t>(i)];
    }
    for (int i = 0; i < 9; ++i) cv.direction[i] = v.direction[static_cast<std::size_t>(i)];
    cv.pixel_type = CONSILIUM_PIXEL_INT16;
    cv.voxels = voxels;
    cv.modality = "CT";
    cv.series_uid = v.series_uid.c_str();

    // The plugin folder and the two stores.
    fs::create_directories(dir / "plugins" / "noop");
    fs::copy_file(library, dir / "plugins" / "noop" / "noop.so");
    std::ofstream(dir / "plugins" / "noop" / "plugin.json")
        << R"({"id":"org.consilium.bench.noop","name":"No-op benchmark plugin","version":"1.0.0","kind":"native",
  "library":"noop.so","abi_version":1,"inputs":{"volume":true,"modalities":["CT"],"timeline":true},
  "outputs":["finding"],"limits":{"timeout_s":30,"memory_mb":256},
  "model":{"version":"noop-1","intended_use":"benchmark only"}})";
    auto found = cp::discover_plugins(cp::SearchPath{{dir / "plugins"}});
    if (found.size() != 1 || !found[0].available) throw std::runtime_error("the no-op plugin was not discovered");
    BenchStore durable(dir / "durable.db", true), volatile_store(dir / "volatile.db", false),
        unboxed(dir / "unboxed.db", false);
    cd::set_site_policy(*unboxed.store, *unboxed.session, "plugin.sandbox", "off");
    for (auto* s : {&durable, &volatile_store, &unboxed}) {  // approved once, as an admin would (content_hash.h)
        auto state = consilium::decision::default_plugin_state(found[0].id);
        state.approved_sha256 = found[0].sha256;
        auto tx = s->store->begin();
        s->store->plugin_states().put(state);
        tx->commit();
    }
    const std::string context = cp::patient_context_bundle(*durable.store, durable.patient, nullptr);
    std::ofstream(dir / "context.json") << context;
    fs::create_directories(dir / "work");
    const std::vector<std::string> worker_args = {
        worker.string(), "--library", (dir / "plugins" / "noop" / "noop.so").string(), "--context",
        (dir / "context.json").string(), "--work-dir", (dir / "work").string(), "--output", (dir / "work" / "out").string(),
        "--output-limit", std::to_string(16 << 20), "--memory-mb", "256", "--volume-fd", "3", "--volume-bytes",
        std::to_string(v.bytes), "--dims", "512,512," + std::to_string(slices), "--spacing", "0.7,0.7,1",
        "--origin", "0,0,0", "--direction", "1,0,0,0,1,0,0,0,1", "--pixel", "int16", "--modality", "CT",
        "--series-uid", v.series_uid};
    // The same run inside the sandbox: run_process's places (/run/consilium/...).
    std::vector<std::string> boxed_args = worker_args;
    const std::map<std::string, std::string> inside = {
        {worker.string(), "/run/consilium/bin/consilium-plugin-worker"},
        {(dir / "plugins" / "noop" / "noop.so").string(), "/run/consilium/plugin/noop.so"},
        {(dir / "context.json").string(), "/run/consilium/input/context.json"},
        {(dir / "work").string(), "/run/consilium/output"},
        {(dir / "work" / "out").string(), "/run/consilium/output/out"}};
    for (auto& a : boxed_args)
        if (auto it = inside.find(a); it != inside.end()) a = it->second;
    const std::vector<consilium::launch::Bind> binds = {
        {worker, "/run/consilium/bin/consilium-plugin-worker", false},
        {dir / "plugins" / "noop", "/run/consilium/plugin", false},
        {dir / "context.json", "/run/consilium/input/context.json", false},
        {dir / "work", "/run/consilium/output", true}};

    comment("plugin_bench: %d runs of a no-op native plugin on a 512x512x%d int16 volume (%.1f MiB) in a memfd",
            runs, slices, static_cast<double>(v.bytes) / (1 << 20));
    comment("stores in %s", dir.c_str());
    const double rss_before = status_mib("VmRSS:"), hwm_before = status_mib("VmHWM:");
    // Wall and CPU time of each way, interleaved; i = -1 is an unmeasured warm-up round.
    const std::vector<std::pair<const char*, std::function<void()>>> ways = {
        {"inprocess", [&] { run_in_process(library, cv, context); }},
        {"worker_only", [&] { run_worker_only(worker_args, v.fd); }},
        {"host", [&] { run_host(durable, found[0], v); }},
        {"host_volatile", [&] { run_host(volatile_store, found[0], v); }},
        {"host_unboxed", [&] { run_host(unboxed, found[0], v); }},
        {"worker_boxed", [&] { run_worker_boxed(boxed_args, binds, v.fd); }}};
    std::vector<std::vector<double>> wall(ways.size());
    std::vector<double> cpu(ways.size());
    for (int i = -1; i < runs; ++i)
        for (std::size_t w = 0; w < ways.size(); ++w) {
            const auto t = Clock::now();
            const double c0 = cpu_ms();
            ways[w].second();
            if (i < 0) continue;
            wall[w].push_back(ms_since(t));
            cpu[w] += cpu_ms() - c0;
        }
    const auto& inproc = wall[0];
    const auto& worker_only = wall[1];
    const auto& host = wall[2];
    const auto& host_volatile = wall[3];
    const auto& host_unboxed = wall[4];
    const auto& worker_boxed = wall[5];
    const double rss_after = status_mib("VmRSS:"), hwm_after = status_mib("VmHWM:");

    report("inprocess", inproc);
    report("host", host);
    const double over50 = percentile(host, 0.5) - percentile(inproc, 0.5);
    const double over95 = percentile(host, 0.95) - percentile(inproc, 0.95);
    figure("plugin_overhead_median", over50, "ms");
    figure("plugin_overhead_p95", over95, "ms");
    comment("goal overhead median <= 20 ms: %s", over50 <= 20 ? "met" : "NOT met");
    comment("goal overhead p95 <= 20 ms: %s", over95 <= 20 ? "met" : "NOT met");
    comment("where it goes (medians): worker process alone, then the store's durable writes");
    report("worker_only", worker_only);
    report("host_volatile", host_volatile);
    figure("plugin_durable_writes_median", percentile(host, 0.5) - percentile(host_volatile, 0.5), "ms");
    figure("plugin_host_rest_median", percentile(host_volatile, 0.5) - percentile(worker_only, 0.5), "ms");
    comment("the sandbox: host overhead without the store's durable writes (start, volume, context, validation),");
    comment("sandboxed (every run now) beside unsandboxed (before; policy plugin.sandbox off), and the sandbox's own cost");
    report("host_unboxed", host_unboxed);
    report("worker_boxed", worker_boxed);
    const double boxed50 = percentile(host_volatile, 0.5) - percentile(inproc, 0.5);
    figure("plugin_overhead_sandboxed_nostore_median", boxed50, "ms");
    figure("plugin_overhead_unsandboxed_nostore_median", percentile(host_unboxed, 0.5) - percentile(inproc, 0.5), "ms");
    figure("plugin_sandbox_cost_median", percentile(worker_boxed, 0.5) - percentile(worker_only, 0.5), "ms");
    comment("goal sandboxed overhead (no store) median <= 25 ms: %s", boxed50 <= 25 ? "met" : "NOT met");
    for (std::size_t w = 0; w < ways.size(); ++w)
        figure(std::string("plugin_") + ways[w].first + "_cpu_mean", cpu[w] / runs, "ms");
    figure("plugin_rss_before", rss_before, "MiB", 1);
    figure("plugin_rss_after", rss_after, "MiB", 1);
    figure("plugin_rss_growth", rss_after - rss_before, "MiB", 1);
    figure("plugin_hwm_before", hwm_before, "MiB", 1);
    figure("plugin_hwm_after", hwm_after, "MiB", 1);
    comment("goal RSS growth < 10 MB over %d host runs (no voxel copy): %s", 2 * (runs + 1),
            (rss_after - rss_before) * 1.048576 < 10 ? "met" : "NOT met");
    munmap(voxels, v.bytes);
    ::close(v.fd);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 20, slices = 300;
    std::string library = CONSILIUM_BENCH_NOOP_PLUGIN;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
        else if (a == "--slices" && i + 1 < argc) slices = std::atoi(argv[++i]);
        else if (a == "--plugin" && i + 1 < argc) library = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--runs N] [--slices K] [--plugin LIB]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1 || slices < 1) {
        std::fprintf(stderr, "plugin_bench: --runs and --slices must be >= 1\n");
        return 2;
    }
    try {
        return bench(runs, library, slices);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "plugin_bench: %s\n", e.what());
        return 1;
    }
}
