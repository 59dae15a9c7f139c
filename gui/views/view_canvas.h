#pragma once
// One of the four viewer panes: an OpenGL canvas that hosts a viewer::View (the same View that
// renders PNGs offscreen) and turns mouse input into ViewerModel calls. Holds no reading state.
#include "model/viewer_model.h"

#include <wx/glcanvas.h>

#include <memory>

class vtkGenericOpenGLRenderWindow;
class vtkCallbackCommand;
class vtkObject;

namespace consilium::gui {

class ViewCanvas : public wxGLCanvas {
public:
    ViewCanvas(wxWindow* parent, ViewerModel& model, ViewKind kind);
    ~ViewCanvas() override;

    ViewKind kind() const { return kind_; }
    // The model's volume changed: a new View is made for it on the next paint.
    void volume_changed();
    // Redraw when what this pane shows has changed (the 3D pane ignores crosshair moves).
    void model_changed();
    // Draw now (used by tests and screenshots); false when the canvas is not shown yet.
    bool render_now();

private:
    void on_paint(wxPaintEvent&);
    void on_size(wxSizeEvent&);
    void on_wheel(wxMouseEvent&);
    void on_mouse(wxMouseEvent&);
    void render();
    static void vtk_event(vtkObject* caller, unsigned long event, void* client, void* call);
    static wxGLAttributes gl_attributes();

    ViewerModel& model_;
    ViewKind kind_;
    std::unique_ptr<wxGLContext> context_;
    vtkGenericOpenGLRenderWindow* window_ = nullptr;  // owned through VTK reference counting
    vtkCallbackCommand* callback_ = nullptr;
    std::unique_ptr<viewer::View> view_;
    bool gl_ready_ = false;
    bool software_gl_ = true;
    bool view_stale_ = true;
    wxPoint last_mouse_;
    double rotate_azimuth_ = 0, rotate_elevation_ = 0;  // 3D pane only
    std::string last_3d_key_;
    int seen_revision_ = 0;
};

}  // namespace consilium::gui
