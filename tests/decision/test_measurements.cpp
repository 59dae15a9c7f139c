// A reader's measurements: stored per series and user, listed again, deleted only by their author,
// every addition and deletion audited in the transaction that made it.
#include "store_fixture.h"

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/measurement.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

void add_series(Store& store, const std::string& series_uid) {
    auto tx = store.begin();
    auto pid = store.patients().insert(patient_from_dicom({"P-" + series_uid, "DOE^JANE", "", "F"}));
    auto sid = store.imaging().insert_study({0, pid, "study-" + series_uid, "2024-01-02", "CT CHEST", std::nullopt});
    store.imaging().insert_series({0, sid, series_uid, "CT", std::nullopt, 3, "images/x/" + series_uid, "{}"});
    tx->commit();
}

Measurement distance(const std::string& series_uid, double length) {
    Measurement m;
    m.series_uid = series_uid;
    m.kind = MeasurementKind::distance;
    m.from_lps = {0, 0, 10};
    m.to_lps = {length, 0, 10};
    m.length_mm = length;
    return m;
}

Measurement region(const std::string& series_uid) {
    Measurement m;
    m.series_uid = series_uid;
    m.kind = MeasurementKind::region;
    m.from_lps = {-5, -5, 12.5};
    m.to_lps = {5, 5, 12.5};
    m.area_mm2 = 100;
    m.mean = 38.5;
    m.sd = 12;
    m.unit = "HU";
    return m;
}

long long audited(Store& store, const std::string& action) {
    AuditFilter filter;
    filter.action = action;
    return static_cast<long long>(store.audit().entries(filter).size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(measurements)

BOOST_AUTO_TEST_CASE(stored_per_series_and_user_and_listed_again) {
    StoreFixture f;
    add_series(*f.store, "1.2.3.1");
    add_series(*f.store, "1.2.3.2");
    const auto a = add_measurement(*f.store, f.radiologist, distance("1.2.3.1", 42.5));
    const auto b = add_measurement(*f.store, f.radiologist, region("1.2.3.1"));
    add_measurement(*f.store, f.physician, distance("1.2.3.1", 7));
    add_measurement(*f.store, f.radiologist, distance("1.2.3.2", 3));
    BOOST_TEST(a.id > 0);
    BOOST_TEST(a.user_name == f.radiologist.user.name);
    BOOST_TEST(!a.created_at.empty());

    const auto mine = my_measurements(*f.store, f.radiologist, "1.2.3.1");
    BOOST_REQUIRE(mine.size() == 2u);
    BOOST_TEST(mine[0].id == a.id);
    BOOST_TEST(*mine[0].length_mm == 42.5);
    BOOST_TEST(mine[0].to_lps[0] == 42.5);
    BOOST_TEST(mine[0].from_lps[2] == 10);
    BOOST_TEST((mine[1].kind == MeasurementKind::region));
    BOOST_TEST(*mine[1].area_mm2 == 100);
    BOOST_TEST(*mine[1].mean == 38.5);
    BOOST_TEST(*mine[1].sd == 12);
    BOOST_TEST(mine[1].unit == "HU");
    BOOST_TEST(!mine[1].length_mm.has_value());
    BOOST_TEST(mine[1].id == b.id);
    BOOST_TEST(series_measurements(*f.store, f.physician, "1.2.3.1").size() == 3u);
    BOOST_TEST(my_measurements(*f.store, f.physician, "1.2.3.1").size() == 1u);
    BOOST_TEST(my_measurements(*f.store, f.radiologist, "1.2.3.2").size() == 1u);
    BOOST_TEST(audited(*f.store, "measurement.add") == 4);
}

BOOST_AUTO_TEST_CASE(deleted_only_by_its_author_and_audited) {
    StoreFixture f;
    add_series(*f.store, "1.2.3.1");
    const auto a = add_measurement(*f.store, f.radiologist, distance("1.2.3.1", 42.5));
    BOOST_CHECK_THROW(delete_measurement(*f.store, f.physician, a.id), NotPermitted);
    BOOST_TEST(my_measurements(*f.store, f.radiologist, "1.2.3.1").size() == 1u);
    BOOST_TEST(audited(*f.store, "measurement.delete") == 0);

    delete_measurement(*f.store, f.radiologist, a.id);
    BOOST_TEST(my_measurements(*f.store, f.radiologist, "1.2.3.1").empty());
    BOOST_TEST(audited(*f.store, "measurement.delete") == 1);
    // The row stays, marked: the reading's history is kept.
    const auto kept = f.store->measurements().find(a.id);
    BOOST_REQUIRE(kept);
    BOOST_TEST(*kept->deleted_by == f.radiologist.user.name);
    BOOST_CHECK_THROW(delete_measurement(*f.store, f.radiologist, a.id), NotFound);
    BOOST_CHECK_THROW(delete_measurement(*f.store, f.radiologist, 9999), NotFound);
    BOOST_TEST(audited(*f.store, "measurement.delete") == 1);
}

BOOST_AUTO_TEST_CASE(refused_measurements_change_nothing) {
    StoreFixture f;
    add_series(*f.store, "1.2.3.1");
    const auto before = f.content_digest();
    BOOST_CHECK_THROW(add_measurement(*f.store, f.radiologist, distance("9.9.9", 4)), NotFound);
    auto nan = distance("1.2.3.1", 4);
    nan.to_lps[1] = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(add_measurement(*f.store, f.radiologist, nan), InputError);
    auto no_length = distance("1.2.3.1", 4);
    no_length.length_mm.reset();
    BOOST_CHECK_THROW(add_measurement(*f.store, f.radiologist, no_length), InputError);
    auto negative = region("1.2.3.1");
    negative.area_mm2 = -1;
    BOOST_CHECK_THROW(add_measurement(*f.store, f.radiologist, negative), InputError);
    BOOST_TEST(f.content_digest() == before);
}

BOOST_AUTO_TEST_SUITE_END()
