#pragma once
// Worker threads report to the GUI thread through the application object, which outlives every
// window: a report arriving after its window was destroyed is dropped, never delivered to freed memory.
#include <wx/app.h>

#include <memory>
#include <utility>

namespace consilium::gui {

// A window holds one of these; worker threads hold weak copies.
using AliveToken = std::shared_ptr<int>;
inline AliveToken make_alive_token() { return std::make_shared<int>(0); }

// Runs `fn` on the GUI thread soon, unless the token's owner has gone by then. Safe from any thread.
template <class Fn>
void post_to_ui(const std::weak_ptr<int>& alive, Fn fn) {
    if (!wxTheApp) return;
    wxTheApp->CallAfter([alive, fn = std::move(fn)]() mutable {
        if (alive.lock()) fn();
    });
}

}  // namespace consilium::gui
