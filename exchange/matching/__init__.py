"""Matching: council needs paired with suppliers (and suppliers with needs), scored and explained."""
