#define BOOST_TEST_MODULE pacs
#include <boost/test/unit_test.hpp>
