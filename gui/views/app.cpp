// consilium: the workstation. Opens the workspace, asks who is there, and shows the main window.
#include "model/launch_options.h"
#include "model/stall_meter.h"
#include "model/workstation.h"
#include "views/login_dialog.h"
#include "views/main_frame.h"
#include "views/translate_wx.h"
#include "views/widget_map.h"

#include <wx/app.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/translation.h>
#include <wx/msgdlg.h>
#include <wx/settings.h>
#include <wx/stdpaths.h>
#include <wx/timer.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <cstdlib>
#include <memory>

namespace consilium::gui {

int g_exit_code = 0;  // what main() returns: wx gives no code of its own when OnInit fails

class WorkstationApp : public wxApp {
public:
    bool OnInit() override;
    int OnExit() override;

private:
    bool log_in(const wxString& locked_user = "");
    void set_language(const std::optional<std::string>& language);
    void lock();

    LaunchOptions options_;
    std::unique_ptr<Workstation> workstation_;
    std::string language_;
    MainFrame* frame_ = nullptr;
    std::unique_ptr<StallMeter> stalls_;
    wxTimer heartbeat_;
    std::chrono::steady_clock::time_point last_tick_;
    wxTimer widget_map_;
    std::filesystem::path widget_map_file_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    long long login_ready_ms_ = -1;
    bool startup_reported_ = false;
};

void WorkstationApp::set_language(const std::optional<std::string>& language) {
    // Translations are looked up without setlocale(): a workstation whose system lacks the nl_NL
    // locale still speaks Dutch. Catalogues live in <prefix>/share/locale (the build tree too).
    const std::filesystem::path exe = wxStandardPaths::Get().GetExecutablePath().utf8_string();
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(
        wxString::FromUTF8((exe.parent_path().parent_path() / "share" / "locale").string()));
    std::string chosen = language.value_or("");
    if (chosen.empty()) {
        const int system = wxLocale::GetSystemLanguage();
        const auto* info = system != wxLANGUAGE_UNKNOWN ? wxLocale::GetLanguageInfo(system) : nullptr;
        chosen = info && info->CanonicalName.StartsWith("nl") ? "nl" : "en";
    }
    auto* translations = new wxTranslations;  // owned by wx once Set
    wxTranslations::Set(translations);
    translations->SetLanguage(wxString::FromUTF8(chosen));
    if (chosen != "en") {
        wxLogNull quiet;  // a missing catalogue leaves English, it is not an error
        translations->AddStdCatalog();
        translations->AddCatalog("consilium");
    }
    language_ = chosen;
}

bool WorkstationApp::OnInit() {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.push_back(argv[i].utf8_string());
    options_ = parse_launch_options(args);  // checked in main() before wx started
    set_language(options_.language);
    try {
        workstation_ = std::make_unique<Workstation>(options_.workspace);
        workstation_->set_translate(wx_translate());
    } catch (const std::exception& e) {
        std::cerr << "consilium: " << e.what() << "\n";
        wxMessageBox(wxString::FromUTF8(e.what()), _("Consilium - cannot open the workspace"), wxOK | wxICON_ERROR);
        g_exit_code = 2;
        return false;
    }
    if (options_.watchdog) {
        stalls_ = std::make_unique<StallMeter>(std::chrono::milliseconds(10));
        heartbeat_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            const int before = stalls_->stalls_over(std::chrono::milliseconds(50));
            const auto previous = last_tick_;
            last_tick_ = std::chrono::steady_clock::now();
            stalls_->tick(last_tick_);
            // With CONSILIUM_TRACE_RENDER every stall over 50 ms is placed in time beside the render times.
            static const bool trace = std::getenv("CONSILIUM_TRACE_RENDER") != nullptr;
            if (trace && stalls_->stalls_over(std::chrono::milliseconds(50)) > before)
                std::cerr << "stall " << std::chrono::duration_cast<std::chrono::milliseconds>(last_tick_ - previous).count() - 10 << " ms, ending at "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count()
                          << " ms\n";
        });
        heartbeat_.Start(10);
    }
    // GUI tests: where the controls are, refreshed three times a second (see widget_map.h).
    if (const char* map = std::getenv("CONSILIUM_WIDGET_MAP"); map && *map) {
        widget_map_file_ = map;
        widget_map_.Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
            try {
                write_widget_map(widget_map_file_);
            } catch (const std::exception&) {
                // a test's scratch folder went away: nothing to report to
            }
        });
        widget_map_.Start(300);
    }
    if (!log_in()) {
        g_exit_code = 1;
        return false;
    }
    return true;
}

bool WorkstationApp::log_in(const wxString& locked_user) {
    std::vector<std::string> demo;
    for (const auto& u : workstation_->demo_users()) demo.push_back(u.name);
    LoginDialog dialog(nullptr, wxString::FromUTF8(workstation_->folder().string()), demo,
                       [this](const std::string& user, const std::string& password) {
                           return workstation_->check_login(user, password);
                       },
                       locked_user);
    if (stalls_) stalls_->restart();
    if (login_ready_ms_ < 0)
        login_ready_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
    const int answer = dialog.ShowModal();
    if (answer != wxID_OK) return false;
    const auto logged_in = std::chrono::steady_clock::now();
    if (stalls_) stalls_->pause();  // until the main window is usable (see below)
    workstation_->finish_login();

    const auto prefs = load_preferences(preferences_file(workstation_->folder(), workstation_->session().user.name));
    if (frame_) {  // unlocked: the same window carries on, and so does the stall count
        if (stalls_) stalls_->restart();
        return true;
    }
    if (!options_.language && prefs.language) set_language(prefs.language);
    frame_ = new MainFrame(*workstation_, [this] { lock(); });
    // AUI asks the frame for its text colour on every caption it paints; without an own colour GTK
    // is asked again each time (a style lookup of tens of milliseconds here).
    frame_->SetOwnForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
    frame_->restore_layout(prefs);
    frame_->Show();
    SetTopWindow(frame_);
    frame_->Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        try {
            auto file = preferences_file(workstation_->folder(), workstation_->session().user.name);
            auto p = load_preferences(file);
            p.layout = frame_->layout();
            save_preferences(file, p);
        } catch (const std::exception& ex) {
            std::cerr << "consilium: layout not saved: " << ex.what() << "\n";
        }
        workstation_->logout("quit");
        frame_ = nullptr;
        e.Skip();
    });
    if (options_.patient) frame_->open_patient_text(*options_.patient, options_.series.value_or(""));
    if (stalls_) {
        // Start-up ends when the main window has been painted and the event queue is empty: the
        // reader can use it from then on. Until then (realising, mapping and first painting the
        // window) the time counts as start-up, reported here, not as a stall.
        auto painted = std::make_shared<bool>(false);
        for (wxWindow* child : frame_->GetChildren())
            child->Bind(wxEVT_PAINT, [painted](wxPaintEvent& e) {
                *painted = true;
                e.Skip();
            });
        Bind(wxEVT_IDLE, [this, painted, logged_in](wxIdleEvent& e) {
            e.Skip();
            if (!*painted || startup_reported_) return;
            startup_reported_ = true;
            const auto now = std::chrono::steady_clock::now();
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
            const auto after_login = std::chrono::duration_cast<std::chrono::milliseconds>(now - logged_in);
            std::cerr << "startup: log-in dialog ready " << login_ready_ms_ << " ms after launch; main window shown "
                      << after_login.count() << " ms after log-in (" << ms.count() << " ms since launch, typing included)\n";
            stalls_->restart();
        });
    }
    return true;
}

void WorkstationApp::lock() {
    if (!frame_) return;
    const wxString user = wxString::FromUTF8(workstation_->session().user.name);
    const std::int64_t patient = workstation_->patient() ? workstation_->patient()->id : 0;
    workstation_->logout("lock");
    frame_->Hide();
    if (!log_in(user)) {
        frame_->Destroy();
        frame_ = nullptr;
        return;
    }
    // Another user unlocking does not inherit the previous user's open record.
    if (patient != 0 && workstation_->session().user.name == user.utf8_string()) frame_->open_patient(patient);
    frame_->Show();
}

int WorkstationApp::OnExit() {
    if (stalls_) std::cerr << stalls_->report() << "\n";
    return g_exit_code;
}

}  // namespace consilium::gui

wxIMPLEMENT_APP_NO_MAIN(consilium::gui::WorkstationApp);

// The viewer renders on threads of its own, each with its own X connection: Xlib must be told
// before its first call. Declared here rather than through <X11/Xlib.h>, whose macros clash with wx.
extern "C" int XInitThreads(void);

int main(int argc, char** argv) {
    using namespace consilium::gui;
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        const auto options = parse_launch_options(args);
        if (options.help) {
            std::cout << launch_usage();
            return 0;
        }
        if (options.version) {
            std::cout << "consilium " CONSILIUM_VERSION "\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "consilium: " << e.what() << "\n" << launch_usage();
        return 2;
    }
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        std::cerr << "consilium: no display. Run it on a desktop, or headless under Xvfb:\n"
                     "  xvfb-run -a -s '-screen 0 1600x1000x24' consilium --workspace DIR\n";
        return 3;
    }
    if (XInitThreads() == 0) {
        std::cerr << "consilium: Xlib has no thread support; the viewer cannot render\n";
        return 3;
    }
    const int wx_code = wxEntry(argc, argv);
    return g_exit_code != 0 ? g_exit_code : wx_code;
}
