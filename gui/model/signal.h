#pragma once
// "Something changed": how the presentation model tells the views to redraw. Views connect
// when they are made and are destroyed with the frame, so no disconnect bookkeeping is needed.
#include <functional>
#include <utility>
#include <vector>

namespace consilium::gui {

template <class... Args>
class Signal {
public:
    void connect(std::function<void(Args...)> slot) { slots_.push_back(std::move(slot)); }
    void emit(Args... args) const {
        for (const auto& slot : slots_) slot(args...);
    }

private:
    std::vector<std::function<void(Args...)>> slots_;
};

}  // namespace consilium::gui
