#include "model/timeline_loader.h"

#include "consilium/decision/store.h"

#include <chrono>

namespace consilium::gui {

TimelineLoader::TimelineLoader(std::filesystem::path database, Deliver deliver)
    : database_(std::move(database)), deliver_(std::move(deliver)), worker_([this] { run(); }) {}

TimelineLoader::~TimelineLoader() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        pending_.reset();
    }
    wake_.notify_all();
    worker_.join();
}

std::uint64_t TimelineLoader::request(TimelineRequest request) {
    std::uint64_t ticket;
    {
        std::lock_guard lock(mutex_);
        ticket = ++ticket_;
        pending_ = std::move(request);
    }
    wake_.notify_all();
    return ticket;
}

std::uint64_t TimelineLoader::latest() const {
    std::lock_guard lock(mutex_);
    return ticket_;
}

std::shared_ptr<TimelineResult> TimelineLoader::load(decision::Store& store, const TimelineRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    auto result = std::make_shared<TimelineResult>();
    result->patient_id = request.patient_id;
    TimelineSource source;
    source.suggestions = request.suggestions;
    source.series = request.series;
    if (auto p = store.patients().find(request.patient_id)) source.patient = {p->birth_date, p->sex};
    // Everything but imaging without the source resources; imaging with them (a FHIR ImagingStudy
    // names its DICOM study and series UIDs only there). Imaging events are few.
    decision::TimelineFilter rest;
    for (int k = 0; k <= static_cast<int>(decision::EventKind::allergy); ++k)  // every kind
        if (static_cast<decision::EventKind>(k) != decision::EventKind::imaging)
            rest.kinds.push_back(static_cast<decision::EventKind>(k));
    source.events = store.timeline().events(request.patient_id, rest);
    decision::TimelineFilter imaging;
    imaging.kinds = {decision::EventKind::imaging};
    imaging.with_resource_json = true;
    for (auto& e : store.timeline().events(request.patient_id, imaging)) source.events.push_back(std::move(e));
    result->events = source.events.size();
    result->content = build_timeline(source);
    result->load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

void TimelineLoader::run() {
    std::unique_ptr<decision::Store> store;
    for (;;) {
        TimelineRequest request;
        std::uint64_t ticket;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
            if (stop_) return;
            request = std::move(*pending_);
            pending_.reset();
            ticket = ticket_;
        }
        std::shared_ptr<TimelineResult> result;
        try {
            if (!store) {
                decision::SqliteOptions options;
                options.migrate = false;  // the workstation's own connection has migrated it
                store = decision::open_sqlite_store(database_, options);
            }
            result = load(*store, request);
        } catch (const std::exception& e) {
            result = std::make_shared<TimelineResult>();
            result->patient_id = request.patient_id;
            result->error = e.what();
            store.reset();  // try a fresh connection next time
        }
        result->ticket = ticket;
        std::lock_guard lock(mutex_);
        // Stale (a newer request came) or stopping: dropped. Under the lock, so the destructor
        // cannot finish while a delivery is under way.
        if (!stop_ && ticket == ticket_) deliver_(std::move(result));
    }
}

}  // namespace consilium::gui
