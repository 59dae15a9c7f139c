#pragma once
// A host for tests: records log lines, progress and emitted JSON.
#include "consilium_plugin.h"

#include <string>
#include <utility>
#include <vector>

namespace consilium::test {

struct FakeHost {
    std::vector<std::pair<consilium_log_level, std::string>> logs;
    std::vector<std::string> emitted;
    double progress = -1;
    bool cancel = false;
    consilium_status emit_status = CONSILIUM_STATUS_OK;
    std::string context = R"({"resourceType":"Bundle","type":"collection","entry":[]})";
    std::string work_dir = "/tmp";
    consilium_host h{};

    explicit FakeHost(const consilium_volume* volume = nullptr) {
        h.abi_version = CONSILIUM_PLUGIN_ABI_VERSION;
        h.struct_size = sizeof(consilium_host);
        h.host = this;
        h.log = [](void* p, consilium_log_level l, const char* m) { self(p).logs.emplace_back(l, m); };
        h.progress = [](void* p, double f) { self(p).progress = f; };
        h.is_cancelled = [](void* p) { return self(p).cancel ? 1 : 0; };
        h.emit_suggestions = [](void* p, const char* json) {
            self(p).emitted.emplace_back(json);
            return self(p).emit_status;
        };
        h.context_json = context.c_str();
        h.volume = volume;
        h.work_dir = work_dir.c_str();
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    std::string all_logs() const {
        std::string s;
        for (const auto& [level, m] : logs) s += m + "\n";
        return s;
    }

private:
    static FakeHost& self(void* p) { return *static_cast<FakeHost*>(p); }
};

}  // namespace consilium::test
