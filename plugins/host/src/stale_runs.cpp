// Abandoned runs: recognised by the process that recorded them being gone. See stale_runs.h.
#include "consilium/plugins/stale_runs.h"

#include "consilium/text/json_text.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <climits>
#include <fstream>
#include <signal.h>
#include <sstream>

namespace consilium::plugins {
namespace {

namespace fs = std::filesystem;

std::string first_line(const char* file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string host_name() {
    char name[HOST_NAME_MAX + 1] = {};
    return ::gethostname(name, sizeof name) == 0 ? std::string(name) : std::string("localhost");
}

// Field 22 of /proc/PID/stat (after the parenthesised command, which may hold spaces); "" when gone.
std::string start_time(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream rest(stat.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i)
        if (i == 22) return field;
    return "";
}

bool pid_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

std::string this_host() {
    const long pid = static_cast<long>(::getpid());
    std::string boot = first_line("/proc/sys/kernel/random/boot_id");
    return host_name() + ' ' + (boot.empty() ? "-" : boot) + ' ' + std::to_string(pid) + ' ' + start_time(pid);
}

bool host_alive(const std::string& host) {
    std::istringstream words(host);
    std::string name, boot, started;
    long pid = 0;
    if (!(words >> name >> boot >> pid)) return false;  // not a host this program wrote
    words >> started;
    if (name != host_name()) return true;  // another machine sharing the record: cannot tell
    if (boot != first_line("/proc/sys/kernel/random/boot_id")) return false;  // rebooted since
    return pid_alive(pid) && start_time(pid) == started;
}

int abandon_stale_runs(decision::Store& store, const fs::path& work_root) {
    int marked = 0;
    auto runs = store.suggestions().running_runs();
    for (const auto& run : runs) {
        // A run recorded before hosts were (schema 13) has none: its program is long gone.
        if (run.host && host_alive(*run.host)) continue;
        auto tx = store.begin();
        const std::string why = "abandoned: the program running it ended before it finished" +
                                (run.host ? " (" + *run.host + ")" : std::string());
        store.suggestions().finish_run(run.id, decision::RunStatus::abandoned, why, 0, std::nullopt);
        nlohmann::json details{{"run_id", run.id},
                               {"plugin_id", run.plugin_id},
                               {"patient_id", run.patient_id ? nlohmann::json(*run.patient_id) : nlohmann::json()},
                               {"started_at", run.started_at},
                               {"host", run.host ? nlohmann::json(*run.host) : nlohmann::json()}};
        store.audit().append({"consilium", "system", "plugin.run.abandoned", "plugin", run.plugin_id,
                              text::json_text(details)});
        tx->commit();
        ++marked;
    }
    // Work folders are named by the pid of the program using them; one whose program is gone held
    // a killed run's patient context.
    std::error_code ec;
    for (fs::directory_iterator it(work_root, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos || name.size() > 9) continue;
        if (pid_alive(std::stol(name))) continue;
        std::error_code e2;
        fs::remove_all(it->path(), e2);
    }
    return marked;
}

}  // namespace consilium::plugins
