#include "views/suggestions_panel.h"

#include "consilium/decision/clinical_time.h"

#include <consilium/viewer/thread_priority.h>

#include "views/model_card_dialog.h"
#include "views/review_dialog.h"
#include "views/text_block.h"
#include "views/translate_wx.h"

#include "consilium/viewer/load.h"

#include <wx/button.h>
#include <wx/textdlg.h>
#include <wx/dcclient.h>
#include <wx/intl.h>
#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/utils.h>
#include <wx/stattext.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace consilium::gui {

namespace {

const wxColour kAiColour(104, 64, 170);       // the "AI-generated" mark and card stripe
const wxColour kSelectedColour(30, 110, 220);
const wxColour kText(25, 25, 28);
const wxColour kMuted(95, 95, 95);
const wxColour kWarn(175, 85, 0);
const wxColour kDanger(170, 30, 30);

wxString U(const std::string& s) { return wxString::FromUTF8(s); }

// A horizontal bar for a 0..1 confidence.
class ConfidenceBar : public wxWindow {
public:
    ConfidenceBar(wxWindow* parent, double value, const wxSize& size) : wxWindow(parent, wxID_ANY), value_(value) {
        SetMinSize(size);
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
            wxPaintDC dc(this);
            const wxSize sz = GetClientSize();
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(GetParent()->GetBackgroundColour()));
            dc.DrawRectangle(0, 0, sz.x, sz.y);
            dc.SetBrush(wxBrush(wxColour(225, 225, 230)));
            dc.DrawRoundedRectangle(0, 0, sz.x, sz.y, 3);
            const int filled = static_cast<int>(std::lround(std::clamp(value_, 0.0, 1.0) * sz.x));
            dc.SetBrush(wxBrush(wxColour(60, 110, 190)));
            if (filled > 0) dc.DrawRoundedRectangle(0, 0, filled, sz.y, 3);
            dc.SetPen(wxPen(wxColour(170, 170, 180)));
            dc.SetBrush(*wxTRANSPARENT_BRUSH);
            dc.DrawRoundedRectangle(0, 0, sz.x, sz.y, 3);
        });
    }

private:
    double value_;
};

// A coloured tag with white text ("AI-generated", a risk band).
wxPanel* chip(wxWindow* parent, const wxString& text, const wxColour& colour, const wxFont& font) {
    auto* p = new wxPanel(parent, wxID_ANY);
    p->SetBackgroundColour(colour);
    auto* t = new TextBlock(p, text, font.Bold(), *wxWHITE, 0);
    auto* s = new wxBoxSizer(wxHORIZONTAL);
    s->Add(t, 0, wxLEFT | wxRIGHT | wxTOP | wxBOTTOM, 3);
    p->SetSizer(s);
    return p;
}

wxColour decision_colour(decision::ReviewStatus s) {
    switch (s) {
        case decision::ReviewStatus::accepted: return wxColour(30, 120, 50);
        case decision::ReviewStatus::modified: return kWarn;
        case decision::ReviewStatus::rejected: return wxColour(170, 30, 30);
        case decision::ReviewStatus::proposed: break;
    }
    return kMuted;
}

}  // namespace

SuggestionsPanel::SuggestionsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer)
    : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL), workstation_(workstation),
      viewer_(viewer) {
    SetScrollRate(0, 12);
    base_font_ = GetFont();
    auto* top = new wxBoxSizer(wxVERTICAL);
    header_ = new wxStaticText(this, wxID_ANY, "");
    message_ = new wxStaticText(this, wxID_ANY, "");
    message_->Hide();
    cards_sizer_ = new wxBoxSizer(wxVERTICAL);
    top->Add(header_, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    top->Add(message_, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    top->Add(cards_sizer_, 0, wxEXPAND | wxTOP, 4);
    SetSizer(top);

    workstation_.suggestions_changed.connect([this] {
        // Decided: "shown on the image" no longer invites a decision (the outline stays until another is shown).
        if (shown_) {
            const auto* s = find(shown_->suggestion);
            if (!s || s->status != decision::ReviewStatus::proposed) set_message("");
        }
        schedule_rebuild();
    });
    workstation_.session_changed.connect([this] { schedule_rebuild(); });
    workstation_.patient_changed.connect([this] {
        shown_.reset();
        mask_cache_.clear();
        events_.clear();
        events_patient_ = 0;
        selected_ = 0;
        set_message("");
        schedule_rebuild();
    });
    // Evidence waiting for its series: shown as soon as that series is in the viewer.
    viewer_.changed.connect([this] {
        if (shown_ && !shown_->applied) apply_shown_evidence();
    });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        if (std::abs(GetClientSize().x - wrapped_at_) > 24) schedule_rebuild();
        e.Skip();
    });
    rebuild();
}

SuggestionsPanel::~SuggestionsPanel() {
    alive_.reset();
    for (auto& t : mask_loaders_)
        if (t.joinable()) t.join();
}

void SuggestionsPanel::schedule_rebuild() {
    if (rebuild_pending_) return;
    rebuild_pending_ = true;
    CallAfter([this] {
        if (in_modal_) return;  // rebuilt when the dialog closes: its button may be on a card
        rebuild_pending_ = false;
        rebuild();
    });
}

template <class Fn>
void SuggestionsPanel::modal(Fn fn) {
    in_modal_ = true;
    fn();
    in_modal_ = false;
    if (rebuild_pending_) {
        rebuild_pending_ = false;
        schedule_rebuild();
    }
}

wxString SuggestionsPanel::finding_name(std::int64_t id) const {
    // What the card shows as its title: the concept, else the summary - never the record's number.
    const auto* s = find(id);
    if (!s) return wxString::Format(_("Suggestion %lld"), static_cast<long long>(id));
    return U(!s->coding.display.empty() ? s->coding.display : s->summary);
}

const decision::Suggestion* SuggestionsPanel::find(std::int64_t id) const {
    for (const auto& s : workstation_.suggestions())
        if (s.id == id) return &s;
    return nullptr;
}

void SuggestionsPanel::set_message(const wxString& text, bool problem) {
    message_->SetLabel(text);
    message_->SetForegroundColour(problem ? wxColour(170, 30, 30) : kMuted);
    message_->SetFont(large_ ? base_font_.Scaled(1.4f) : base_font_);
    message_->Wrap(std::max(200, GetClientSize().x - 20));
    message_->Show(!text.empty());
    Layout();
    FitInside();
}

void SuggestionsPanel::select(std::int64_t id) {
    const auto previous = selected_;
    selected_ = id;
    if (auto it = cards_.find(previous); it != cards_.end()) it->second->Refresh();
    if (auto it = cards_.find(id); it != cards_.end()) it->second->Refresh();
    scroll_to(id);
}

void SuggestionsPanel::set_large(bool large) {
    if (large_ == large) return;
    large_ = large;
    rebuild();
}

void SuggestionsPanel::scroll_to(std::int64_t id) {
    auto it = cards_.find(id);
    if (it == cards_.end()) return;
    int ppu_x = 0, ppu_y = 0, view_x = 0, view_y = 0;
    GetScrollPixelsPerUnit(&ppu_x, &ppu_y);
    GetViewStart(&view_x, &view_y);
    if (ppu_y <= 0) return;
    const int first = view_y * ppu_y;
    const int top = it->second->GetPosition().y + first;  // unscrolled
    const int height = it->second->GetSize().y;
    const int visible = GetClientSize().y;
    if (top < first || top + height > first + visible)
        Scroll(-1, std::max(0, (height > visible ? top : top - (visible - height) / 3) - 8) / ppu_y);
}

void SuggestionsPanel::make_clickable(wxWindow* window, std::int64_t id) {
    window->Bind(wxEVT_LEFT_DOWN, [this, id](wxMouseEvent& e) {
        select(id);
        e.Skip();
    });
    for (auto* child : window->GetChildren())
        if (dynamic_cast<TextBlock*>(child) || dynamic_cast<wxStaticText*>(child) || dynamic_cast<wxPanel*>(child) || dynamic_cast<ConfidenceBar*>(child))
            make_clickable(child, id);
}

void SuggestionsPanel::rebuild() {
    Freeze();
    cards_sizer_->Clear(true);
    cards_.clear();
    waiting_cards_.clear();
    const float scale = large_ ? 1.45f : 1.0f;
    header_->SetFont(base_font_.Scaled(scale).Bold());
    wrapped_at_ = GetClientSize().x;
    const int wrap = std::max(FromDIP(220), wrapped_at_ - FromDIP(44));

    if (!workstation_.logged_in() || !workstation_.patient()) {
        header_->SetLabel(_("Open a patient to see the AI suggestions made for them."));
    } else {
        const auto& all = workstation_.suggestions();
        const auto open = std::count_if(all.begin(), all.end(),
                                        [](const auto& s) { return s.status == decision::ReviewStatus::proposed; });
        if (all.empty())
            header_->SetLabel(_("No AI suggestions for this patient yet. Plugins (Ctrl+P) runs one."));
        else
            header_->SetLabel(wxString::Format(_("%d to review, %d decided"), static_cast<int>(open),
                                               static_cast<int>(all.size() - static_cast<std::size_t>(open))));
        if (events_patient_ != workstation_.patient()->id) {
            events_patient_ = workstation_.patient()->id;
            try {
                events_ = workstation_.store().timeline().events(events_patient_, {});
            } catch (const std::exception&) {
                events_.clear();  // observations are then shown by their reference only
            }
        }
        waiting_cards_ = card_order(all);
    }
    next_card_ = 0;
    card_wrap_ = wrap;
    header_->Wrap(wrap);
    Layout();
    FitInside();
    Thaw();
    add_cards(++build_generation_);
}

void SuggestionsPanel::add_cards(int generation) {
    if (generation != build_generation_) return;  // a newer rebuild started over
    // A few cards at a time, then back to the event loop: the UI answers while a long list fills in.
    const auto started = std::chrono::steady_clock::now();
    Freeze();
    while (next_card_ < waiting_cards_.size()) {
        const auto& s = waiting_cards_[next_card_++];
        auto* card = make_card_window(s, card_wrap_);
        cards_[s.id] = card;
        cards_sizer_->Add(card, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6));
        if (std::chrono::steady_clock::now() - started > std::chrono::milliseconds(10)) break;
    }
    Layout();
    FitInside();
    Thaw();
    if (next_card_ < waiting_cards_.size()) {
        CallAfter([this, generation] { add_cards(generation); });
        return;
    }
    waiting_cards_.clear();
    if (selected_) scroll_to(selected_);
}

wxWindow* SuggestionsPanel::make_card_window(const decision::Suggestion& s, int wrap) {
    const std::string plugin_name = [&] {
        const auto* p = workstation_.find_plugin(s.plugin_id);
        return p && p->manifest ? p->manifest->name : std::string();
    }();
    const auto role = workstation_.session().user.role;
    const SuggestionCard c = make_card(s, role, plugin_name, wx_translate());
    const float scale = large_ ? 1.45f : 1.0f;
    const wxFont normal = base_font_.Scaled(scale);
    const wxFont small = base_font_.Scaled(scale * 0.92f);
    const std::int64_t id = s.id;

    auto* card = new wxPanel(this, wxID_ANY);
    card->SetBackgroundColour(c.proposed ? wxColour(255, 255, 255) : wxColour(244, 244, 246));
    card->SetFont(normal);
    // Paragraphs are drawn by the card itself at the place its sizer keeps for them.
    auto texts = std::make_shared<std::vector<std::pair<wxSizerItem*, TextLayout>>>();
    // The AI stripe on the left; a blue frame round the selected card.
    card->Bind(wxEVT_PAINT, [this, card, id, texts](wxPaintEvent&) {
        wxPaintDC dc(card);
        const wxSize sz = card->GetClientSize();
        for (const auto& [item, layout] : *texts) draw_text(dc, layout, item->GetRect().GetTopLeft());
        dc.SetPen(*wxTRANSPARENT_PEN);
        dc.SetBrush(wxBrush(kAiColour));
        dc.DrawRectangle(0, 0, FromDIP(5), sz.y);
        if (selected_ == id) {
            dc.SetPen(wxPen(kSelectedColour, FromDIP(3)));
            dc.SetBrush(*wxTRANSPARENT_BRUSH);
            dc.DrawRectangle(1, 1, sz.x - 2, sz.y - 2);
        } else {
            dc.SetPen(wxPen(wxColour(205, 205, 212)));
            dc.SetBrush(*wxTRANSPARENT_BRUSH);
            dc.DrawRectangle(0, 0, sz.x, sz.y);
        }
    });
    auto* box = new wxBoxSizer(wxVERTICAL);
    const int pad = FromDIP(8);
    auto text = [&](const std::string& t, const wxFont& font, const wxColour& colour = wxNullColour, bool wrapped = true) {
        return layout_text(U(t), font, colour.IsOk() ? colour : kText, wrapped ? wrap : 0);
    };
    auto put = [&](wxSizer* sizer, TextLayout layout, int proportion, int flags = 0, int border = 0) {
        wxSizerItem* item = sizer->Add(layout.size.x, layout.size.y, proportion, flags, border);
        texts->emplace_back(item, std::move(layout));
    };
    auto row = [&](int top_gap) {
        auto* r = new wxBoxSizer(wxHORIZONTAL);
        box->Add(r, 0, wxEXPAND | wxTOP, top_gap);
        return r;
    };

    // Head: AI-generated, kind, status.
    auto* head = row(0);
    head->Add(chip(card, _("AI-generated"), kAiColour, small), 0, wxALIGN_CENTER_VERTICAL);
    put(head, text(wxGetTranslation(U(c.kind)).utf8_string(), normal.Bold(), wxNullColour, false), 0,
        wxALIGN_CENTER_VERTICAL | wxLEFT, pad);
    head->AddStretchSpacer();
    put(head, text(wxGetTranslation(U(c.status)).utf8_string(), small.Bold(), c.proposed ? kAiColour : decision_colour(s.status), false), 0,
              wxALIGN_CENTER_VERTICAL);

    // A suggestion made outside the model's intended use says so first, in red.
    if (!c.outside_intended_use.empty())
        put(row(pad), text(wxGetTranslation(U(c.outside_intended_use)).utf8_string(), normal.Bold(), kDanger), 0);

    // The coded concept. A modified card leads with the clinician's conclusion, the AI's proposal beneath.
    if (!c.conclusion.empty()) {
        put(row(pad), text(c.conclusion, normal.Bold().Scaled(1.1f), decision_colour(s.status)), 0);
        if (!c.concept_display.empty())
            put(row(0), text(wxString::Format(_("AI proposed: %s"), U(c.concept_display + (c.concept_code.empty() ? "" : " (" + c.concept_code + ")"))).utf8_string(),
                             small, kMuted), 0);
    } else if (!c.concept_display.empty()) {
        put(row(pad), text(c.concept_display, normal.Bold().Scaled(1.1f)), 0);
        if (!c.concept_code.empty()) put(row(0), text(c.concept_code, small, kMuted), 0);
    }

    // The standing decision on the same finding proposed before (a new model version proposes it again).
    if (!c.earlier_status.empty()) {
        wxString earlier = wxString::Format(_("Earlier decision on this finding: %s by %s, %s"),
                                            wxGetTranslation(U(c.earlier_status)), U(c.earlier_by), U(c.earlier_at));
        if (!c.earlier_held.empty()) earlier += " - " + wxString::Format(_("held instead: %s"), U(c.earlier_held));
        put(row(pad), text(earlier.utf8_string(), small.Bold(), kDanger), 0);
    }

    // Score and band, or confidence.
    if (!c.score_text.empty()) {
        auto* r = row(pad);
        put(r, text(_("Score").utf8_string(), normal, kMuted, false), 0, wxALIGN_CENTER_VERTICAL);
        put(r, text(c.score_text, normal.Bold().Scaled(1.5f), wxNullColour, false), 0, wxALIGN_CENTER_VERTICAL | wxLEFT, pad);
        if (!c.band.empty()) {
            const wxColour band(c.band_rgb[0], c.band_rgb[1], c.band_rgb[2]);
            r->Add(chip(card, wxGetTranslation(U(c.band)), band, normal), 0, wxALIGN_CENTER_VERTICAL | wxLEFT, pad);
        }
        if (!c.missing_text.empty()) put(row(2), text(c.missing_text, small.Bold(), kWarn), 0);
    }
    if (c.confidence) {
        auto* r = row(c.score_text.empty() ? pad : 4);
        auto label = text(_("Confidence").utf8_string(), normal, kMuted, false);
        auto value = text(c.confidence_text, normal.Bold(), wxNullColour, false);
        // The bar takes what the words leave: in presentation type "80 %" was cut to "8".
        const wxSize bar = FromDIP(large_ ? wxSize(220, 16) : wxSize(140, 10));
        const int room = wrap - label.size.x - value.size.x - 2 * pad;
        put(r, std::move(label), 0, wxALIGN_CENTER_VERTICAL);
        r->Add(new ConfidenceBar(card, *c.confidence, wxSize(std::clamp(room, FromDIP(40), bar.x), bar.y)), 0,
               wxALIGN_CENTER_VERTICAL | wxLEFT, pad);
        put(r, std::move(value), 0, wxALIGN_CENTER_VERTICAL | wxLEFT, pad);
    } else if (c.score_text.empty()) {
        put(row(pad), text(_("No confidence given").utf8_string(), small, kMuted, false), 0);
    }

    // What and why.
    put(row(pad), text(c.summary, normal.Bold()), 0);
    if (!c.rationale.empty()) put(row(4), text(c.rationale, small, wxColour(50, 50, 50)), 0);

    // The model, linked to its card (a wrapped text that acts as a link: names can be long).
    auto link = [&](const std::string& label, const wxString& tooltip, std::function<void()> open) {
        auto* st = new TextBlock(card, U(label), small.Underlined(), wxColour(20, 80, 190), wrap);
        st->SetCursor(wxCursor(wxCURSOR_HAND));
        st->SetToolTip(tooltip);
        st->Bind(wxEVT_LEFT_UP, [open = std::move(open)](wxMouseEvent&) { open(); });
        return st;
    };
    put(row(pad), text(_("Model").utf8_string(), small.Bold(), kMuted, false), 0);
    row(2)->Add(link(c.model_text, _("Show the model card: intended use, training data, performance, limitations"),
                     [this, id] { show_model_card(id); }),
                0, wxLEFT, pad);

    // Evidence.
    if (!c.evidence.empty()) {
        put(row(pad), text(_("Evidence").utf8_string(), small.Bold(), kMuted, false), 0);
        for (const auto& e : c.evidence) {
            std::string line;
            switch (e.type) {
                case Evidence::Type::observation: {
                    const auto described = describe_observation(e.ref, events_);
                    line = described.empty() ? e.text : wxString::Format(_("Observation: %s"), U(described)).utf8_string();
                    break;
                }
                case Evidence::Type::mask: line = _("Outline on the image (label mask)").utf8_string(); break;
                default: line = e.text;
            }
            put(row(2), text("\u2022 " + line, small), 0, wxLEFT, pad);
            if (e.type == Evidence::Type::reference && !e.url.empty()) {
                const std::string url = e.url;
                row(0)->Add(link(short_url(url), U(url), [url] { wxLaunchDefaultBrowser(U(url)); }), 0, wxLEFT, pad * 2);
            }
        }
        if (c.shows_on_image) {
            auto* show = new wxButton(card, wxID_ANY, _("Show on image"));
            show->SetFont(normal);
            show->SetName(wxString::Format("show-%lld", static_cast<long long>(id)));
            show->SetToolTip(_("Move the crosshair to the finding and outline it on the images (O hides overlays)"));
            show->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) { show_on_image(id); });
            row(4)->Add(show, 0);
        }
    }

    // The decision, or the buttons to make one.
    if (c.proposed) {
        auto* r = row(pad + 2);
        auto* accept = new wxButton(card, wxID_ANY, _("Accept"));
        auto* modify = new wxButton(card, wxID_ANY, _("Modify..."));
        auto* reject = new wxButton(card, wxID_ANY, _("Reject..."));
        for (auto* b : {accept, modify, reject}) {
            b->SetFont(normal);
            b->Enable(c.why_cannot_decide.empty());
            if (!c.why_cannot_decide.empty()) b->SetToolTip(U(c.why_cannot_decide));
            r->Add(b, 0, wxRIGHT, FromDIP(6));
        }
        // Named for the GUI tests' widget map (test mode): which button decides which suggestion.
        accept->SetName(wxString::Format("accept-%lld", static_cast<long long>(id)));
        modify->SetName(wxString::Format("modify-%lld", static_cast<long long>(id)));
        reject->SetName(wxString::Format("reject-%lld", static_cast<long long>(id)));
        accept->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) { decide(id, decision::ReviewStatus::accepted); });
        modify->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) { decide(id, decision::ReviewStatus::modified); });
        reject->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) { decide(id, decision::ReviewStatus::rejected); });
        if (!c.why_cannot_decide.empty()) {
            put(row(2), text(c.why_cannot_decide, small.Italic(), kMuted), 0);
        }
    } else {
        put(row(pad), text(c.decision_text, normal.Bold(), decision_colour(s.status)), 0);
        for (const auto* line : {&c.reason_text, &c.held_instead, &c.note})
            if (!line->empty()) put(row(2), text(*line, small), 0);
        // Its author may take the decision back the same day (a new audited entry, nothing deleted).
        if (can_withdraw(s, workstation_.session().user.name, decision::utc_now())) {
            auto* withdraw = new wxButton(card, wxID_ANY, _("Withdraw my decision..."));
            withdraw->SetFont(small);
            withdraw->SetName(wxString::Format("withdraw-%lld", static_cast<long long>(id)));
            withdraw->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) { withdraw_decision(id); });
            row(4)->Add(withdraw, 0);
        }
    }

    // The stripe on the left, padding all round.
    auto* with_stripe = new wxBoxSizer(wxHORIZONTAL);
    with_stripe->AddSpacer(FromDIP(5) + pad);
    with_stripe->Add(box, 1, wxEXPAND | wxTOP | wxBOTTOM | wxRIGHT, pad);
    card->SetSizer(with_stripe);
    make_clickable(card, id);
    return card;
}

void SuggestionsPanel::decide(std::int64_t id, decision::ReviewStatus decision) {
    const auto* found = find(id);
    if (!found) return;
    const decision::Suggestion s = *found;
    select(id);
    if (decision == decision::ReviewStatus::accepted) {
        ReviewForm form;
        form.set_decision(decision::ReviewStatus::accepted);
        if (auto m = workstation_.decide(id, form, confirm_against_earlier()); !m.empty())
            modal([&] { wxMessageBox(U(m), _("Accept AI suggestion"), wxOK | wxICON_WARNING, this); });
        return;
    }
    modal([&] {
        ReviewDialog dialog(this, s, decision,
                            [this, id](const ReviewForm& form) { return workstation_.decide(id, form, confirm_against_earlier()); },
                            large_);
        dialog.ShowModal();
    });
}

// Asks before a decision goes against the earlier decision on the same finding, naming it.
std::function<bool(const std::string&)> SuggestionsPanel::confirm_against_earlier() {
    return [this](const std::string& earlier) {
        // Cards are not rebuilt under the question (it may come from within the review dialog).
        const bool was_modal = in_modal_;
        in_modal_ = true;
        const int answer =
            wxMessageBox(wxString::Format(_("This finding was already %s.\n\nRecord your decision against it?"), U(earlier)),
                         _("Decide against an earlier decision"), wxYES_NO | wxNO_DEFAULT | wxICON_WARNING, this);
        in_modal_ = was_modal;
        return answer == wxYES;
    };
}

void SuggestionsPanel::withdraw_decision(std::int64_t id) {
    select(id);
    wxString reason;
    modal([&] {
        reason = wxGetTextFromUser(_("Why do you withdraw your decision? It stays in the record, marked withdrawn."),
                                   _("Withdraw my decision"), "", this);
    });
    if (reason.Strip(wxString::both).empty()) return;
    if (auto m = workstation_.withdraw(id, reason.utf8_string()); !m.empty())
        modal([&] { wxMessageBox(U(m), _("Withdraw my decision"), wxOK | wxICON_WARNING, this); });
}

void SuggestionsPanel::show_model_card(std::int64_t id) {
    const auto* found = find(id);
    if (!found) return;
    const decision::Suggestion s = *found;
    select(id);
    workstation_.refresh_plugins();  // the card of what is installed now
    const auto view = make_model_card(workstation_.find_plugin(s.plugin_id), s.plugin_id, s.plugin_version,
                                      s.model_version.value_or(""), wx_translate());
    modal([&] {
        ModelCardDialog dialog(this, view, large_);
        dialog.ShowModal();
    });
}

void SuggestionsPanel::show_on_image(std::int64_t id) {
    const auto* found = find(id);
    if (!found) return;
    const auto card = make_card(*found, workstation_.session().user.role);
    ShownEvidence shown;
    shown.suggestion = id;
    for (const auto& e : card.evidence) {
        if (e.type == Evidence::Type::roi && e.centre_lps) {
            viewer::RoiBox box;
            box.centre_lps = *e.centre_lps;
            box.size_mm = e.size_mm.value_or(viewer::Vec3{0, 0, 0});
            box.label = wxString::Format(_("AI #%lld"), static_cast<long long>(id)).utf8_string();
            shown.rois.push_back(box);
            if (!shown.centre_lps) shown.centre_lps = *e.centre_lps;
        } else if (e.type == Evidence::Type::mask && !e.file.empty()) {
            shown.masks.push_back(e.file);
        }
    }
    try {
        if (auto run = workstation_.store().suggestions().find_run(found->run_id); run && run->series_uid)
            shown.series_uid = *run->series_uid;
    } catch (const std::exception&) {
        // Unknown series: shown on whatever series is open.
    }
    select(id);
    shown_ = shown;
    const auto& volume = viewer_.volume();
    if (volume && (shown.series_uid.empty() || volume->series_uid == shown.series_uid)) {
        apply_shown_evidence();
        return;
    }
    const auto& series = workstation_.series();
    const bool ours = std::any_of(series.begin(), series.end(),
                                  [&](const SeriesEntry& e) { return e.series.series_uid == shown.series_uid; });
    if (!shown.series_uid.empty() && ours && open_series_) {
        set_message(_("Opening the series the finding was made on..."));
        open_series_(shown.series_uid);  // shown when it arrives (viewer_.changed)
    } else {
        shown_.reset();
        set_message(shown.series_uid.empty() ? _("Open an image series first.")
                                             : wxString::Format(_("The series this finding was made on (%s) is not in this workspace."),
                                                                U(shown.series_uid)),
                    true);
    }
}

void SuggestionsPanel::apply_shown_evidence() {
    if (!shown_ || shown_->applied) return;
    const auto& volume = viewer_.volume();
    if (!volume || (!shown_->series_uid.empty() && volume->series_uid != shown_->series_uid)) return;
    shown_->applied = true;
    std::vector<viewer::MaskOverlay> masks;
    std::vector<std::string> missing;
    for (const auto& f : shown_->masks) {
        if (auto it = mask_cache_.find(f); it != mask_cache_.end()) masks.push_back({it->second});
        else missing.push_back(f);
    }
    const auto rois = shown_->rois;
    const auto centre = shown_->centre_lps;
    const auto id = shown_->suggestion;
    viewer_.set_evidence(rois, masks);
    if (centre) viewer_.set_crosshair(*centre);
    if (!viewer_.overlays_visible()) viewer_.set_overlays_visible(true);
    set_message(wxString::Format(_("%s shown on the image%s. O hides or shows AI overlays."), finding_name(id),
                                 missing.empty() ? wxString() : wxString(_(" (loading its outline...)"))));
    if (!missing.empty()) load_masks(id, missing);
}

void SuggestionsPanel::load_masks(std::int64_t suggestion, const std::vector<std::string>& files) {
    // Threads that have finished are joined here; the others when the panel goes.
    const auto folder = workstation_.folder();
    for (const auto& file : files) {
        const auto path = evidence_file(folder, file);
        if (!path) {
            mask_loaded(suggestion, file, nullptr, _("the file name leaves the workspace").utf8_string());
            continue;
        }
        std::weak_ptr<int> alive = alive_;
        mask_loaders_.emplace_back([this, alive, suggestion, file, path = *path] {
            viewer::lower_thread_priority();
            std::shared_ptr<const viewer::Volume> mask;
            std::string error;
            try {
                mask = std::make_shared<const viewer::Volume>(viewer::load_volume_file(path));
            } catch (const std::exception& e) {
                error = e.what();
            }
            post_to_ui(alive, [this, suggestion, file, mask, error] { mask_loaded(suggestion, file, mask, error); });
        });
    }
}

void SuggestionsPanel::mask_loaded(std::int64_t suggestion, const std::string& file, std::shared_ptr<const viewer::Volume> mask,
                                   const std::string& error) {
    if (!error.empty()) {
        set_message(wxString::Format(_("The outline of %s could not be loaded: %s"), finding_name(suggestion), U(error)),
                    true);
        return;
    }
    mask_cache_[file] = mask;
    if (!shown_ || shown_->suggestion != suggestion || !shown_->applied) return;
    const auto& volume = viewer_.volume();
    if (!volume || (!shown_->series_uid.empty() && volume->series_uid != shown_->series_uid)) return;
    std::vector<viewer::MaskOverlay> masks;
    for (const auto& f : shown_->masks)
        if (auto it = mask_cache_.find(f); it != mask_cache_.end()) masks.push_back({it->second});
    viewer_.set_evidence(shown_->rois, masks);
    set_message(wxString::Format(_("%s shown on the image with its outline. O hides or shows AI overlays."),
                                 finding_name(suggestion)));
}

}  // namespace consilium::gui
