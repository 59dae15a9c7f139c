// consilium-plugin-worker: runs one native plugin in its own process, so a plugin that crashes,
// hangs or exhausts its memory takes only this process down. The host (run.cpp) spawns it:
//   --library PATH [--volume-fd FD --volume-bytes N --dims I,J,K --spacing X,Y,Z --origin X,Y,Z
//   --direction D0,..,D8 --pixel int16|float32 --modality M --series-uid UID]
//   --context FILE --work-dir DIR --output FILE --output-limit BYTES --memory-mb M
// stdout: "LOG <level> <text>" and "PROGRESS <f>" lines. The output file receives each
// emit_suggestions text as an RFC 7464 JSON text sequence (RS, text, LF).
// Exit codes: 0 success; 1 the plugin returned a failure status; 2 usage or set-up error;
// 3 no entry symbol (or dlopen failed); 4 unsupported ABI version; 5 output over its limit.
#include "consilium_plugin.h"

#include <dlfcn.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

volatile sig_atomic_t g_cancelled = 0;
void on_term(int) { g_cancelled = 1; }

struct HostState {
    std::FILE* output = nullptr;
    unsigned long long written = 0;
    unsigned long long limit = 16ull << 20;
    bool over_limit = false;
    std::string last_error;
};

[[noreturn]] void fail(int code, const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::fflush(stderr);
    std::_Exit(code);
}

std::string one_line(const char* text) {
    std::string s = text ? text : "";
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

void cb_log(void* host, consilium_log_level level, const char* message) {
    static const char* names[] = {"debug", "info", "warning", "error"};
    const char* name = (level >= 0 && level <= 3) ? names[level] : "info";
    auto line = one_line(message);
    if (level == CONSILIUM_LOG_ERROR) static_cast<HostState*>(host)->last_error = line;
    std::printf("LOG %s %s\n", name, line.c_str());
    std::fflush(stdout);
}

void cb_progress(void*, double f) {
    if (!(f >= 0)) f = 0;
    if (f > 1) f = 1;
    std::printf("PROGRESS %.4f\n", f);
    std::fflush(stdout);
}

int cb_cancelled(void*) { return g_cancelled ? 1 : 0; }

consilium_status cb_emit(void* host, const char* json) {
    auto* h = static_cast<HostState*>(host);
    if (!json) return CONSILIUM_STATUS_INVALID_ARGUMENT;
    const std::size_t n = std::strlen(json);
    if (h->over_limit || h->written + n + 2 > h->limit) {
        h->over_limit = true;
        return CONSILIUM_STATUS_ERROR;
    }
    // Stored even when it does not look like an object: the host validates and reports it.
    std::fputc(0x1e, h->output);
    std::fwrite(json, 1, n, h->output);
    std::fputc('\n', h->output);
    std::fflush(h->output);
    h->written += n + 2;
    const char* p = json;
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') ++p;
    return *p == '{' ? CONSILIUM_STATUS_OK : CONSILIUM_STATUS_INVALID_ARGUMENT;
}

template <std::size_t N>
bool parse_list(const std::string& text, double (&out)[N]) {
    std::stringstream ss(text);
    std::string item;
    std::size_t i = 0;
    while (std::getline(ss, item, ',')) {
        if (i >= N) return false;
        char* end = nullptr;
        out[i++] = std::strtod(item.c_str(), &end);
        if (end == item.c_str()) return false;
    }
    return i == N;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> a;
    for (int i = 1; i + 1 < argc; i += 2) a[argv[i]] = argv[i + 1];
    auto need = [&](const char* k) -> const std::string& {
        auto it = a.find(k);
        if (it == a.end()) fail(2, std::string("consilium-plugin-worker: missing ") + k);
        return it->second;
    };
    const std::string library = need("--library");
    const std::string context_file = need("--context");
    const std::string work_dir = need("--work-dir");
    const std::string output_file = need("--output");
    const unsigned long long memory_mb = std::strtoull(a.count("--memory-mb") ? a["--memory-mb"].c_str() : "2048", nullptr, 10);
    HostState state;
    if (a.count("--output-limit")) state.limit = std::strtoull(a["--output-limit"].c_str(), nullptr, 10);

    struct sigaction sa {};
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    // The worker runs in its own process group, out of reach of a terminal's Ctrl-C: if the host
    // dies without stopping it (SIGKILL), it must not run on alone.
    prctl(PR_SET_PDEATHSIG, SIGKILL);

    // The volume, read-only.
    consilium_volume volume{};
    bool have_volume = false;
    unsigned long long volume_bytes = 0;
    std::string modality, series_uid;
    if (a.count("--volume-fd")) {
        const int fd = std::atoi(a["--volume-fd"].c_str());
        volume_bytes = std::strtoull(need("--volume-bytes").c_str(), nullptr, 10);
        double dims[3], spacing[3], origin[3], dir[9];
        if (!parse_list(need("--dims"), dims) || !parse_list(need("--spacing"), spacing) ||
            !parse_list(need("--origin"), origin) || !parse_list(need("--direction"), dir))
            fail(2, "consilium-plugin-worker: bad volume geometry");
        const std::string pixel = need("--pixel");
        volume.abi_version = CONSILIUM_PLUGIN_ABI_VERSION;
        volume.struct_size = sizeof(consilium_volume);
        for (int i = 0; i < 3; ++i) {
            volume.dims[i] = static_cast<int32_t>(dims[i]);
            volume.spacing_mm[i] = spacing[i];
            volume.origin_lps[i] = origin[i];
        }
        for (int i = 0; i < 9; ++i) volume.direction[i] = dir[i];
        volume.pixel_type = pixel == "float32" ? CONSILIUM_PIXEL_FLOAT32 : CONSILIUM_PIXEL_INT16;
        const unsigned long long expected = static_cast<unsigned long long>(volume.dims[0]) * volume.dims[1] * volume.dims[2] *
                                            (pixel == "float32" ? 4u : 2u);
        if (expected > volume_bytes) fail(2, "consilium-plugin-worker: the volume buffer is smaller than its geometry");
        void* p = mmap(nullptr, volume_bytes, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) fail(2, std::string("consilium-plugin-worker: cannot map the volume: ") + std::strerror(errno));
        close(fd);
        volume.voxels = p;
        modality = a.count("--modality") ? a["--modality"] : "";
        series_uid = a.count("--series-uid") ? a["--series-uid"] : "";
        volume.modality = modality.c_str();
        volume.series_uid = series_uid.c_str();
        have_volume = true;
    }

    std::string context;
    {
        std::ifstream in(context_file, std::ios::binary);
        if (!in) fail(2, "consilium-plugin-worker: cannot read " + context_file);
        std::ostringstream ss;
        ss << in.rdbuf();
        context = ss.str();
    }
    state.output = std::fopen(output_file.c_str(), "wb");
    if (!state.output) fail(2, "consilium-plugin-worker: cannot write " + output_file);

    // Limits before any plugin code is loaded.
    rlimit core{0, 0};
    setrlimit(RLIMIT_CORE, &core);
    const unsigned long long as = volume_bytes + memory_mb * (1ull << 20);
    rlimit mem{as, as};
    if (setrlimit(RLIMIT_AS, &mem) != 0) fail(2, "consilium-plugin-worker: cannot set the memory limit");

    void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) fail(3, std::string("cannot load the plugin library: ") + dlerror());
    auto entry = reinterpret_cast<consilium_plugin_entry_fn>(dlsym(lib, CONSILIUM_PLUGIN_ENTRY_SYMBOL));
    if (!entry) fail(3, "the plugin library does not export " CONSILIUM_PLUGIN_ENTRY_SYMBOL);
    const consilium_plugin* plugin = entry(CONSILIUM_PLUGIN_ABI_VERSION);
    if (!plugin) fail(4, "the plugin refused host ABI version " + std::to_string(CONSILIUM_PLUGIN_ABI_VERSION));
    if (plugin->abi_version != CONSILIUM_PLUGIN_ABI_VERSION)
        fail(4, "unsupported plugin ABI version " + std::to_string(plugin->abi_version) + " (this host supports " +
                    std::to_string(CONSILIUM_PLUGIN_ABI_VERSION) + ")");
    if (plugin->struct_size < sizeof(consilium_plugin) || !plugin->run)
        fail(4, "the plugin's table is incomplete (struct_size " + std::to_string(plugin->struct_size) + ")");

    consilium_host host{};
    host.abi_version = CONSILIUM_PLUGIN_ABI_VERSION;
    host.struct_size = sizeof(consilium_host);
    host.host = &state;
    host.log = cb_log;
    host.progress = cb_progress;
    host.is_cancelled = cb_cancelled;
    host.emit_suggestions = cb_emit;
    host.context_json = context.c_str();
    host.volume = have_volume ? &volume : nullptr;
    host.work_dir = work_dir.c_str();

    const consilium_status status = plugin->run(&host);
    if (plugin->shutdown) plugin->shutdown();
    std::fflush(stdout);
    std::fclose(state.output);
    if (state.over_limit)
        fail(5, "the output exceeds its limit of " +
                    (state.limit % (1ull << 20) == 0 ? std::to_string(state.limit >> 20) + " MB"
                                                     : std::to_string(state.limit) + " bytes"));
    if (status == CONSILIUM_STATUS_OK) return 0;
    std::string why = status == CONSILIUM_STATUS_CANCELLED ? "cancelled" : "status " + std::to_string(static_cast<int>(status));
    if (!state.last_error.empty()) why += ": " + state.last_error;
    if (state.last_error.find("bad_alloc") != std::string::npos || state.last_error.find("memory") != std::string::npos)
        why += " (memory limit " + std::to_string(memory_mb) + " MB)";
    fail(1, "the plugin failed (" + why + ")");
}
