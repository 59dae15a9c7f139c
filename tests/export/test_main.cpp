#define BOOST_TEST_MODULE export_finding
#include <boost/test/unit_test.hpp>
