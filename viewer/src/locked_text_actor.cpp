#include "locked_text_actor.h"

#include <vtkObjectFactory.h>

#include <mutex>

namespace consilium::viewer {

namespace {
std::mutex& text_lock() {
    static std::mutex m;
    return m;
}
}  // namespace

vtkStandardNewMacro(LockedTextActor);

int LockedTextActor::RenderOpaqueGeometry(vtkViewport* viewport) {
    std::lock_guard lock(text_lock());
    return vtkTextActor::RenderOpaqueGeometry(viewport);
}

int LockedTextActor::RenderTranslucentPolygonalGeometry(vtkViewport* viewport) {
    std::lock_guard lock(text_lock());
    return vtkTextActor::RenderTranslucentPolygonalGeometry(viewport);
}

int LockedTextActor::RenderOverlay(vtkViewport* viewport) {
    std::lock_guard lock(text_lock());
    return vtkTextActor::RenderOverlay(viewport);
}

}  // namespace consilium::viewer
