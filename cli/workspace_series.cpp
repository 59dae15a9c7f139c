#include "workspace_series.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

namespace consilium::cli {

std::filesystem::path open_workspace_series(const Context& ctx, const std::string& series_uid) {
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, decision::Permission::read_patients);
    auto series = ws.store().imaging().find_series(series_uid);
    if (!series) throw decision::NotFound("series " + series_uid + ": not in the workspace");
    auto study = ws.store().imaging().find_study_by_id(series->study_id);
    auto tx = ws.store().begin();
    nlohmann::json details{{"series_uid", series_uid},
                           {"study_uid", study ? study->study_uid : ""},
                           {"patient_id", study ? study->patient_id : 0}};
    ws.store().audit().append(decision::audit_record(session, "series.view", "series", series_uid, text::json_text(details)));
    tx->commit();
    return ws.folder() / series->folder;
}

}  // namespace consilium::cli
