#pragma once
// Loads a patient's timeline off the UI thread: a patient can have 10,000 events. One worker
// thread with its own read connection to the workspace database (a store connection is not shared
// between threads); a newer request replaces one not yet started, and a result is delivered only
// if no newer request was made meanwhile. The lanes are built on the worker too, so the UI thread
// only swaps them in.
#include "model/timeline_layout.h"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace consilium::decision {
class Store;
}

namespace consilium::gui {

struct TimelineRequest {
    std::int64_t patient_id = 0;
    std::vector<decision::Suggestion> suggestions;  // as the workstation holds them (no query needed)
    std::vector<StudySeries> series;
};

struct TimelineResult {
    std::uint64_t ticket = 0;
    std::int64_t patient_id = 0;
    TimelineContent content;
    std::string error;          // "" when it loaded
    double load_ms = 0;         // the query and the build, for the status text and the tests
    std::size_t events = 0;
};

class TimelineLoader {
public:
    // `deliver` runs on the worker thread: a view forwards it to the UI thread (CallAfter).
    using Deliver = std::function<void(std::shared_ptr<TimelineResult>)>;
    TimelineLoader(std::filesystem::path database, Deliver deliver);
    ~TimelineLoader();  // waits for the query under way, if any; nothing is delivered afterwards
    TimelineLoader(const TimelineLoader&) = delete;
    TimelineLoader& operator=(const TimelineLoader&) = delete;

    // Returns the request's ticket; a result whose ticket is not latest() is stale.
    std::uint64_t request(TimelineRequest request);
    std::uint64_t latest() const;

    // The work itself, synchronous (used by the worker; tests call it directly).
    static std::shared_ptr<TimelineResult> load(decision::Store& store, const TimelineRequest& request);

private:
    void run();
    std::filesystem::path database_;
    Deliver deliver_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<TimelineRequest> pending_;
    std::uint64_t ticket_ = 0;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace consilium::gui
