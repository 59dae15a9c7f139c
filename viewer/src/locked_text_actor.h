#pragma once
// A text actor that renders under one process-wide lock. VTK keeps a single FreeType glyph cache
// per process and it is not thread-safe; the workstation renders its slice views and its 3D view
// on two threads, and two texts rendered at once crashed it. Text is a small part of a frame, so
// the threads hardly ever wait on each other.
#include <vtkTextActor.h>

namespace consilium::viewer {

class LockedTextActor : public vtkTextActor {
public:
    static LockedTextActor* New();
    vtkTypeMacro(LockedTextActor, vtkTextActor)

    int RenderOpaqueGeometry(vtkViewport* viewport) override;
    int RenderTranslucentPolygonalGeometry(vtkViewport* viewport) override;
    int RenderOverlay(vtkViewport* viewport) override;

protected:
    LockedTextActor() = default;
    ~LockedTextActor() override = default;
};

}  // namespace consilium::viewer
